"""MNIST and Fashion-MNIST as catalog sources: the four IDX files, cached by :class:`MnistCache`.

Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017, arXiv:1708.07747) is a drop-in replacement for
MNIST: the same IDX files, names and shapes (60,000 + 10,000 grey 28x28 images, 10 classes),
so it reuses MNIST's parser and cache with its own published MD5s and mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neuralscope.data.downloads import DatasetFileError, FetchOptions, Remote, fetch, staging
from neuralscope.data.idx import MNIST_GZ_MD5, MNIST_MIRROR, IdxError, MnistCache
from neuralscope.data.source import RawSet

# MD5 of the four published .gz files (the digests torchvision checks, datasets/mnist.py).
FASHION_GZ_MD5: dict[str, str] = {
    "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
}
FASHION_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
FASHION_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


@dataclass(frozen=True)
class IdxSource:
    """An MNIST-format set cached as four IDX files under ``<datasets_dir>/<name>``."""

    gz_md5: tuple[tuple[str, str], ...] = tuple(MNIST_GZ_MD5.items())
    mirror: str = MNIST_MIRROR
    class_names: tuple[str, ...] = tuple(str(d) for d in range(10))
    counts: tuple[tuple[str, int], ...] | None = None  # None: the published sizes

    @property
    def remotes(self) -> tuple[Remote, ...]:
        return tuple(Remote(f"{self.mirror}{n}.gz", f"{n}.gz", md5) for n, md5 in self.gz_md5)

    def cache(self, root: Path, options: FetchOptions | None = None) -> MnistCache:
        """The IDX cache, checking the digests ``options`` override (keyed by ``name.gz``)."""
        override = (options.checksums or {}) if options else {}
        md5 = tuple((n, override.get(f"{n}.gz", d)) for n, d in self.gz_md5)
        if self.counts is None:
            return MnistCache(root, gz_md5=md5)
        return MnistCache(root, gz_md5=md5, counts=self.counts)

    def download(self, root: Path, options: FetchOptions | None = None) -> list[str]:
        """Fetch the four ``.gz`` files (verified while streaming), then import them."""
        options = options or FetchOptions()
        report = options.progress
        with staging(root.parent, root.name) as stage:
            for remote in self.remotes:
                r = options.resolve(remote)

                def progress(done: int, total: int | None, name: str = r.filename) -> None:
                    if report is not None:
                        report(name, done, total)

                fetch(r, stage, progress=progress, timeout_s=options.timeout_s)
            return self.import_from(root, stage, options)

    def import_from(self, root: Path, path: Path, options: FetchOptions | None = None) -> list[str]:
        """Verify the four IDX files in folder ``path`` (``.gz`` or raw) and cache them."""
        if not path.is_dir():
            raise DatasetFileError(f"{path}: give the folder holding the four IDX files")
        try:
            return self.cache(root, options).import_dir(path)
        except IdxError as exc:
            raise DatasetFileError(str(exc)) from exc

    def cached(self, root: Path) -> bool:
        return self.cache(root).complete

    def load(self, root: Path, seed: int) -> RawSet:
        try:
            (x_train, y_train), (x_test, y_test) = self.cache(root).load_split()
        except IdxError as exc:
            raise DatasetFileError(f"{exc}; import or download it again") from exc
        return RawSet(x_train[:, None], y_train, x_test[:, None], y_test, list(self.class_names))


MNIST = IdxSource()
FASHION_MNIST = IdxSource(tuple(FASHION_GZ_MD5.items()), FASHION_MIRROR, tuple(FASHION_CLASSES))
