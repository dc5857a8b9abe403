"""Turbine: the platform of a territory's eco-transition engineering.

Kept free of imports so that pure-Python parts (``turbine.budget.engine``) load without Django or
Celery; the Celery app is loaded by ``turbine.core.apps.CoreConfig.ready``.
"""
