"""``healthlint audit``: check a whole archive or crawl on a Dask cluster and write the results as Parquet."""
