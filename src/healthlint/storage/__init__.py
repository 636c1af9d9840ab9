"""Everything healthlint keeps on disk: one atomic writer, the data cache, the result cache, baselines."""
