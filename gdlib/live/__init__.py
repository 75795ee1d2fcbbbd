r"""Live figures: optimizer runs recomputed in the reader's browser as the reader moves the controls.

A live figure is HTML with an inline script, so it works in the published book and
in a trusted notebook in JupyterLab, with no kernel, framework or network. The
script is a line-for-line port of gdlib's optimizers, schedules, surfaces, ``mse``
and training loop (``gdlib/js``), tested to give gdlib's paths to a relative 1e-12.
This package only exports data (the surface's parameters, the data set, the row
orders that :func:`gdlib.fit` draws for each seed, the contour picture and its pixel
box) and places the figure. Without JavaScript the figure shows gdlib's own paths of
the starting settings drawn into the picture, and a caption.

:func:`figure` places one; for example chapter 2's gradient descent on a tilted bowl::

    live.figure(surfaces.quadratic((1.0, 10.0), angle=30), {"gd": gdlib.gd(0.05)}, w0=(-1.5, 1.5),
                controls=["lr"], views=("path", "loss", "eigen"))

The HTML is the same on every machine: no path or other result is written into it as
numbers (paths are drawn into the picture, whose bytes nbval does not compare).

One module per job: ``runs`` (the optimizers the port knows, each run's settings and
colour), ``controls`` (sliders and switches), ``export`` (surfaces, data and shuffles as
the page carries them), ``pictures`` (what matplotlib draws), ``script`` (``gdlib/js``
as one inline script), ``page`` (the HTML) and ``place`` (:func:`figure`, which uses
them all).
"""

from .controls import CONTROLS, Control
from .export import epoch_orders
from .page import LiveFigure
from .pictures import DPI, HEIGHT, WIDTH
from .place import VIEWS, figure
from .runs import DEFAULTS, HYPERPARAMETERS, OPTIMIZERS, SCHEDULES, Run
from .script import MODULES, script

__all__ = [
    "CONTROLS", "DEFAULTS", "DPI", "HEIGHT", "HYPERPARAMETERS", "MODULES", "OPTIMIZERS", "SCHEDULES", "VIEWS",
    "WIDTH", "Control", "LiveFigure", "Run", "epoch_orders", "figure", "script",
]
