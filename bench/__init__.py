"""Benchmarks of Turbine: scaled data, page latency through gunicorn, query counts."""
