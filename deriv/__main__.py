"""``python -m deriv``: the same command line as the ``deriv`` script."""

from deriv.cli import main

if __name__ == "__main__":  # pytest's --doctest-modules may import this file
    main(prog_name="deriv")
