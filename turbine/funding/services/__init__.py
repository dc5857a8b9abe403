"""Every write of the funding catalogue: aids, funders and perimeters (catalogue), alerts by
email (alerts), partner searches for a call (partners)."""
