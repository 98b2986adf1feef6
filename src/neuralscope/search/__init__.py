"""Health-aware hyperparameter and architecture search on Optuna (issue #6).

:mod:`neuralscope.search.contract` is what studies and trials store; the rest builds on it.
"""
