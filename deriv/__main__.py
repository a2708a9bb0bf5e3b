"""``python -m deriv``: the same command line as the ``deriv`` script."""

from deriv.cli import run

if __name__ == "__main__":  # pytest's --doctest-modules may import this file
    run()
