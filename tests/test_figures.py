"""Figure sizes and the PNGs the book shows: legible in the desktop column, stackable on phones."""

import base64
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from gdlib import plots  # noqa: E402

COLUMN = 740  # CSS pixels of a figure in the desktop column (1366 px wide window)


@pytest.mark.parametrize("ncols", [1, 2, 3])
def test_figures_fit_the_column_at_natural_size(ncols):
    fig, axes = plots.subplots(1, ncols)
    width, height = fig.get_size_inches() * fig.dpi
    plt.close(fig)
    assert width <= COLUMN and 250 <= height <= 400
    assert plots.SMALLEST_FONT * fig.dpi / 72 >= 11  # so the smallest text is at least 11 px on a desktop


def test_subplots_refuses_a_figure_size():
    with pytest.raises(TypeError, match="leave out figsize"):
        plots.subplots(1, 2, figsize=(3, 3))


def test_png_is_retina_paletted_and_records_the_panels():
    fig, axes = plots.subplots(2, 2)
    for ax in axes.flat:
        ax.plot([0, 1], [0, 1])
        ax.set(title="a title", xlabel="x", ylabel="y")
    data, width, height = plots.png(fig)
    plt.close(fig)
    picture = Image.open(io.BytesIO(data))
    assert picture.size == (2 * width, 2 * height) and picture.mode == "P"
    assert picture.text["gdlib:scale"] == "2"
    boxes = [tuple(map(float, b.split())) for b in picture.text["gdlib:panels"].split(";")]
    assert len(boxes) == 4 and boxes[0][:2] == (0, 0) and boxes[-1][2:] == (1, 1)
    assert boxes[0][2] == boxes[1][0] and boxes[0][3] == boxes[2][1]  # cuts shared by neighbours
    assert 0.4 < boxes[0][2] < 0.6 and 0.4 < boxes[0][3] < 0.6


def test_single_panels_and_figure_titles_have_no_panel_layout():
    fig, ax = plots.subplots()
    assert plots.panel_layout(fig) is None
    plt.close(fig)
    fig, axes = plots.subplots(1, 2)
    fig.suptitle("one title over both")
    assert plots.panel_layout(fig) is None  # cutting would split the title
    plt.close(fig)


def test_notebooks_get_the_png_with_its_css_size():
    fig, axes = plots.subplots(1, 2)
    encoded, meta = plots._notebook_png(fig)
    plt.close(fig)
    picture = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert meta == {"width": picture.width // 2, "height": picture.height // 2} == {"width": 740, "height": 330}


def test_the_palette_never_merges_two_book_colours():
    """A contour background crowds the 64-colour palette; gd's blue and RMSProp's green must survive it."""
    from gdlib import gd, minimize, rmsprop, surfaces

    surface = surfaces.rosenbrock()
    fig, ax = plots.subplots(1, 1)
    runs = {"gd, lr=0.002": minimize(surface, (-1.2, 1), gd(0.002), 300),
            "rmsprop, lr=0.005": minimize(surface, (-1.2, 1), rmsprop(0.005), 300)}
    plots.contour(surface, runs, ax=ax)
    data, _, _ = plots.png(fig)
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)
    for name in ("gd", "rmsprop"):
        colour = np.array([int(plots.color(name)[i:i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(rgb - colour).max(axis=-1) <= 6).sum() > 100, name
