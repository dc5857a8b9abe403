"""Pure engines of the steering app (Python + NumPy, no Django).

- :mod:`trajectory`: the path from an indicator's baseline to its 2038 target, and how far the
  last measure stands from it (in the indicator's unit and in years);
- :mod:`ranking`: the portfolio's weighted sum, its one-at-a-time and Monte Carlo sensitivity,
  and weights derived from pairwise comparisons (AHP, with its consistency ratio);
- :mod:`stv` and :mod:`schulze`: the count of the three great works of a mandate (single
  transferable vote, Scottish rules, and a Schulze ranking of the same ballots);
- :mod:`blt`: the BLT ballot format (OpenSTV / OpaVote).
"""
