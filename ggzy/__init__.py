"""ggzy: public-resource trading metrics warehouse (公共资源交易数据仓库)."""
