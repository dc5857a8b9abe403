"""Models of the cooperation app, one module per part (meetings, groups, debates, panels,
challenges); each is imported here so that Django finds them."""
