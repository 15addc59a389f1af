"""newsharvest's processing stages as plain Python, usable without Scrapy.

Data flows page -> extract -> clean -> language -> dedup -> Parquet. Each stage is a small module with one
job; the Scrapy item pipelines in :mod:`newsharvest.pipelines` are thin adapters around them.
"""
