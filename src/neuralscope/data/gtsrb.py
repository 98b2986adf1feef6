"""GTSRB, the German Traffic Sign Recognition Benchmark, from its official archives.

Stallkamp, Schlipsing, Salmen & Igel, "Man vs. computer: Benchmarking machine learning
algorithms for traffic sign recognition", Neural Networks 32 (2012). 43 classes; the training
archive keeps each class's PPM images in a folder named by its class id (``.../00012/...``),
the test archive has the images and a separate ground-truth archive the ``ClassId`` per file
(``GT-final_test.csv``, ``;``-separated). Images vary from 15x15 to 250x250 pixels; each is
resized to ``size`` x ``size`` (bilinear with antialiasing, so shrinking averages rather than
aliases). Images are decoded from the ZIPs in memory (nothing is extracted).

PPM ("P6", netpbm): ASCII header ``P6 <width> <height> <maxval>`` (``#`` comments allowed), one
whitespace byte, then width*height RGB samples, 1 byte each (2, big-endian, if maxval > 255).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from neuralscope.data.downloads import DatasetFileError, Remote
from neuralscope.data.safe_pickle import read_member

_BASE = "https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/"
# MD5s as checked by torchvision (datasets/gtsrb.py)
TRAIN = Remote(f"{_BASE}GTSRB-Training_fixed.zip", "GTSRB-Training_fixed.zip",
               "513f3c79a4c5141765e10e952eaa2478")  # fmt: skip
TEST = Remote(f"{_BASE}GTSRB_Final_Test_Images.zip", "GTSRB_Final_Test_Images.zip",
              "c7e4e6327067d32654124b0fe9e82185")  # fmt: skip
TEST_GT = Remote(f"{_BASE}GTSRB_Final_Test_GT.zip", "GTSRB_Final_Test_GT.zip",
                 "fe31e9c9270bbcd7b84b7f21a9d9d9e5")  # fmt: skip
N_CLASSES = 43
_TRAIN_IMAGE = re.compile(r"(?:^|/)(\d{5})/[^/]+\.ppm$")
_TOKEN = re.compile(rb"\s*(?:#[^\n]*\n\s*)*(\S+)")

CLASS_NAMES = [
    "Speed limit (20km/h)", "Speed limit (30km/h)", "Speed limit (50km/h)",
    "Speed limit (60km/h)", "Speed limit (70km/h)", "Speed limit (80km/h)",
    "End of speed limit (80km/h)", "Speed limit (100km/h)", "Speed limit (120km/h)",
    "No passing", "No passing for vehicles over 3.5 t", "Right-of-way at the next intersection",
    "Priority road", "Yield", "Stop", "No vehicles", "Vehicles over 3.5 t prohibited",
    "No entry", "General caution", "Dangerous curve to the left",
    "Dangerous curve to the right", "Double curve", "Bumpy road", "Slippery road",
    "Road narrows on the right", "Road work", "Traffic signals", "Pedestrians",
    "Children crossing", "Bicycles crossing", "Beware of ice/snow", "Wild animals crossing",
    "End of all speed and passing limits", "Turn right ahead", "Turn left ahead", "Ahead only",
    "Go straight or right", "Go straight or left", "Keep right", "Keep left",
    "Roundabout mandatory", "End of no passing", "End of no passing by vehicles over 3.5 t",
]  # fmt: skip


def parse_ppm(raw: bytes, *, source: str = "<ppm>") -> np.ndarray:
    """A binary PPM (P6) as uint8 (H, W, 3); :class:`DatasetFileError` on anything else."""
    fields: list[bytes] = []
    pos = 0
    for _ in range(4):
        match = _TOKEN.match(raw, pos)
        if match is None:
            raise DatasetFileError(f"{source}: truncated PPM header")
        fields.append(match.group(1))
        pos = match.end()
    if fields[0] != b"P6" or not all(f.isdigit() for f in fields[1:]):
        raise DatasetFileError(f"{source}: not a binary PPM (P6) image")
    width, height, maxval = (int(f) for f in fields[1:])
    if not (0 < width <= 10_000 and 0 < height <= 10_000 and 0 < maxval < 65536):
        raise DatasetFileError(f"{source}: implausible PPM size {width}x{height}/{maxval}")
    dtype = np.dtype(">u2") if maxval > 255 else np.dtype(np.uint8)
    count = width * height * 3
    data = raw[pos + 1 : pos + 1 + count * dtype.itemsize]
    if len(data) != count * dtype.itemsize:
        raise DatasetFileError(f"{source}: truncated PPM data")
    pixels = np.frombuffer(data, dtype=dtype).reshape(height, width, 3).astype(np.float32)
    return np.asarray(np.clip(np.rint(pixels * (255.0 / maxval)), 0, 255), dtype=np.uint8)


def resize(image: np.ndarray, size: int) -> np.ndarray:
    """A uint8 (H, W, 3) image of any size -> uint8 (3, size, size)."""
    chw = np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32)
    scaled = F.interpolate(
        torch.from_numpy(chw)[None], (size, size), mode="bilinear", antialias=True
    )
    # the rest in numpy: tiny torch ops cost more in thread hand-offs than in arithmetic
    return np.asarray(np.clip(np.rint(scaled[0].numpy()), 0, 255), dtype=np.uint8)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DatasetFileError(f"{path}: not a ZIP archive or truncated ({exc})") from exc


def _members(path: Path, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], bytes]]:
    with _open(path) as archive:
        for info in archive.infolist():
            match = pattern.search(info.filename)
            if match is not None and not info.is_dir():
                yield match, read_member(archive, info, str(path))


def _train(path: Path, size: int) -> tuple[list[np.ndarray], list[int]]:
    images, labels = [], []
    for match, raw in _members(path, _TRAIN_IMAGE):
        label = int(match.group(1))
        if label >= N_CLASSES:
            raise DatasetFileError(f"{path}: class folder {match.group(1)} beyond {N_CLASSES}")
        images.append(resize(parse_ppm(raw, source=f"{path}:{match.group(0)}"), size))
        labels.append(label)
    if not images:
        raise DatasetFileError(f"{path}: no training images (<class>/<file>.ppm) found")
    return images, labels


def _ground_truth(path: Path) -> dict[str, int]:
    rows = [raw for _, raw in _members(path, re.compile(r"(?:^|/)GT-final_test\.csv$"))]
    if not rows:
        raise DatasetFileError(f"{path}: GT-final_test.csv not found")
    table = csv.DictReader(io.StringIO(rows[0].decode("latin1")), delimiter=";")
    try:
        return {row["Filename"].strip(): int(row["ClassId"]) for row in table}
    except (KeyError, ValueError, TypeError) as exc:
        raise DatasetFileError(f"{path}: GT-final_test.csv lacks Filename/ClassId") from exc


def _test(images_zip: Path, gt_zip: Path, size: int) -> tuple[list[np.ndarray], list[int]]:
    truth = _ground_truth(gt_zip)
    images, labels = [], []
    for match, raw in _members(images_zip, re.compile(r"(?:^|/)(\d+\.ppm)$")):
        name = match.group(1)
        if name not in truth:
            raise DatasetFileError(f"{gt_zip}: no ground truth for test image {name}")
        images.append(resize(parse_ppm(raw, source=f"{images_zip}:{name}"), size))
        labels.append(truth[name])
    if not images or len(images) != len(truth):
        raise DatasetFileError(
            f"{images_zip}: {len(images)} test images for {len(truth)} ground-truth rows"
        )
    return images, labels


def parse_gtsrb(files: dict[str, Path], size: int = 32) -> dict[str, np.ndarray]:
    """The three archives (by published file name) -> uint8 (N, 3, size, size) and labels."""
    train_images, train_labels = _train(files[TRAIN.filename], size)
    test_images, test_labels = _test(files[TEST.filename], files[TEST_GT.filename], size)
    return {
        "x_train": np.stack(train_images),
        "y_train": np.array(train_labels, dtype=np.int64),
        "x_test": np.stack(test_images),
        "y_test": np.array(test_labels, dtype=np.int64),
        "class_names": np.array(CLASS_NAMES),
    }
