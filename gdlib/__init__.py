"""gdlib: the small library behind *Gradient Descent, from Scratch*.

Data sets, losses with gradients, optimizers as pure functions, a training
loop, test surfaces, gradient checking and plots. The interactive explorers
live in :mod:`gdlib.widgets`, the only module that imports ipywidgets.
"""

import warnings

from . import check, data, gradcheck, losses, optimizers, schedules, surfaces, timing, train
from .data import least_squares
from .gradcheck import grad_error, numerical_grad
from .losses import Loss, TwoLayerNet, logistic, mse
from .optimizers import Optimizer, adagrad, adam, gd, momentum, rmsprop
from .timing import Stopwatch
from .train import DivergenceWarning, History, fit, minimize

__version__ = "0.1.0"

__all__ = [
    "DivergenceWarning", "History", "Loss", "Optimizer", "Stopwatch", "TwoLayerNet", "adagrad", "adam", "check",
    "data", "logistic",
    "fit", "gd", "grad_error", "gradcheck", "least_squares", "live", "losses", "minimize", "momentum", "mse",
    "numerical_grad", "optimizers", "player", "plots", "rmsprop", "schedules", "surfaces", "timing", "train",
    "widgets",
]

_formatwarning = warnings.formatwarning


def _format_divergence(message, category, filename, lineno, line=None):
    # The message says what happened and what to do; a file path would only distract.
    if issubclass(category, DivergenceWarning):
        return f"{category.__name__}: {message}\n"
    return _formatwarning(message, category, filename, lineno, line)


warnings.formatwarning = _format_divergence


def __getattr__(name):
    # plots, player and live need matplotlib, widgets needs ipywidgets: import them on first use.
    if name in ("plots", "player", "widgets", "live"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'gdlib' has no attribute {name!r}")
