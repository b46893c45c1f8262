from ggzy.cli import run

run()
