"""The participatory budget's pages: citizens' pages and the vote (pages), staff pages to
create and edit a campaign (campaigns)."""
