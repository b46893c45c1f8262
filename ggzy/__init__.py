"""ggzy: public-resource trading metrics warehouse (公共资源交易数据仓库).

The package is the path a monthly file takes, one folder a stage (docs/operations.md, "Layout"):

    common  →  ingest  →  transform  →  serve  →  report

A module may import its own stage and the stages before it, never a later one; ``cli``,
``__main__`` and ``sample`` (the front door and the demo's files) may import any stage, and no
stage imports them. ``tests/test_metrics.py`` holds the code to this order.
"""

STAGES = ("common", "ingest", "transform", "serve", "report")
