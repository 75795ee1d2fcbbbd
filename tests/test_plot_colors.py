"""The book's colours: one per optimizer and per batch size, decided by name."""

import pytest

from gdlib import optimizers, plots


def test_optimizers_by_name_label_or_object():
    assert plots.color("adam") == plots.color("adam(lr=0.1)") == plots.color(optimizers.adam(0.1))
    assert plots.color("adagrad") != plots.color("adam")
    assert plots.color(optimizers.momentum(0.1, nesterov=True)) == plots.color("nesterov")


def test_batch_sizes_by_number_or_label():
    assert plots.color(32) == plots.color("B = 32") == plots.color("b=32, lr = 0.1") == plots.BATCH_COLORS[32]
    assert plots.color("full") == plots.color("full batch") == plots.BATCH_COLORS["full"]
    assert len({plots.color(b) for b in (1, 2, 4, 8, 16, 32, 64, 128, 256)}) == 9


def test_unknown_keys_name_the_choices():
    with pytest.raises(ValueError, match="power of two"):
        plots.color("B = 1000")  # not one of the book's batch sizes: say "full" for the full batch
    with pytest.raises(ValueError, match="name an optimizer"):
        plots.color("fuller")
    assert plots.color_of("B = 1000", 2) == plots.COLORS[2]  # labels without a book colour fall back
