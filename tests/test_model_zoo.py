"""The model zoo in mmaction2's form: model-index.yml imports a metafile per
method folder; every config there has one entry and one README row."""
from pathlib import Path

import pytest
import yaml

from .helpers import REPO

METHOD_FOLDERS = ('otam', 'protonet', 'trx', 'vim')


def test_model_index_imports_each_method_metafile():
    index = yaml.safe_load((REPO / 'model-index.yml').read_text())
    assert index == dict(Import=[
        f'configs/{folder}/metafile.yml' for folder in METHOD_FOLDERS
    ])


@pytest.mark.parametrize('folder', METHOD_FOLDERS)
def test_each_config_has_one_entry_and_one_readme_row(folder):
    configs = sorted(
        str(path.relative_to(REPO))
        for path in (REPO / 'configs' / folder).glob('*.py'))
    metafile = yaml.safe_load(
        (REPO / 'configs' / folder / 'metafile.yml').read_text())
    (collection, ) = metafile['Collections']
    assert (REPO / collection['README']).is_file()
    models = metafile['Models']
    assert sorted(model['Config'] for model in models) == configs
    for model in models:
        assert model['Name'] == Path(model['Config']).stem
        assert model['In Collection'] == collection['Name']
        # Nothing is claimed before a checkpoint is published.
        assert (model['Results'], model['Weights']) == ([], None)
    readme = (REPO / 'configs' / folder / 'README.md').read_text()
    for config in configs:
        assert readme.count(f'({Path(config).name})') == 1, config
    assert '```bibtex' in readme


def test_license_is_the_one_setup_py_declares():
    assert "license='Apache-2.0'" in (REPO / 'setup.py').read_text()
    text = (REPO / 'LICENSE').read_text()
    assert text.split('\n')[1].strip() == 'Apache License'
    assert 'END OF TERMS AND CONDITIONS' in text
