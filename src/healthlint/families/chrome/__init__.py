"""The page-chrome family (HL702-HL704): text that is not the article's (web-page furniture, navigation, a chatbot's
side of the exchange that wrote it); not spam."""
