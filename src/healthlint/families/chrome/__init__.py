"""The page-chrome family (HL702, HL703): web-page furniture and navigation left in an article; not spam."""
