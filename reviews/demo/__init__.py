"""The demo site that `make run` serves: content modules, drawn images and the loader."""

from reviews.demo.loader import load_demo

__all__ = ["load_demo"]
