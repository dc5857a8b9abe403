"""Cooperation: meetings in varied formats, working groups across networks, debates, citizen
panels drawn by lot and common challenges."""
