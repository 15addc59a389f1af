"""newsharvest: a Scrapy project that turns news sites into clean, deduplicated Parquet."""

__version__ = "0.1.0"
