import urllib.error

import pytest
import torch
import torchvision

from vim_mmaction.models import ScanShuffleNetV2

FILE = 'shufflenetv2_x0.5-f707e7126e.pth'
URL = f'https://download.pytorch.org/models/{FILE}'


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub cache and a download that records its calls and
    fails as offline (no test touches the network)."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    calls = []

    def offline(url, dst, hash_prefix=None):
        calls.append((url, dst, hash_prefix))
        raise urllib.error.URLError('offline')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', offline)
    return tmp_path / 'hub' / 'checkpoints', calls


def torchvision_state(path):
    """Save a random-init torchvision ShuffleNetV2 x0.5 state dict."""
    torch.manual_seed(0)
    state = torchvision.models.shufflenet_v2_x0_5(weights=None).state_dict()
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, path)
    return state


def assert_loaded(net, state):
    """Every weight of ``net`` equals the file's under torchvision's name."""
    names = ('conv1', 'stage2', 'stage3', 'stage4', 'conv5')
    own = net.state_dict()
    assert len(own) == len(state) - 2  # all but the classifier fc
    for key, value in own.items():
        _, index, rest = key.split('.', 2)
        assert torch.equal(value, state[f'{names[int(index)]}.{rest}']), key


def test_maps_of_a_64px_scan_without_the_stem_pool():
    net = ScanShuffleNetV2().eval()
    maps = net(torch.rand(2, 3, 64, 64))
    assert [tuple(m.shape[1:]) for m in maps] == [(24, 32, 32), (48, 16, 16),
                                                  (96, 8, 8), (192, 4, 4),
                                                  (1024, 4, 4)]
    assert sum(p.numel() for p in net.parameters()) == 341_792


def test_local_torchvision_weights_load_into_every_stage(tmp_path):
    path = tmp_path / FILE
    state = torchvision_state(path)
    net = ScanShuffleNetV2(pretrained=str(path))
    net.init_weights()
    assert_loaded(net, state)
    reference = torchvision.models.shufflenet_v2_x0_5(weights=None).eval()
    reference.load_state_dict(state)
    x = torch.rand(1, 3, 64, 64)
    expected = reference.conv5(
        reference.stage4(reference.stage3(reference.stage2(
            reference.conv1(x)))))
    torch.testing.assert_close(net.eval()(x)[-1], expected)


def test_pretrained_true_reads_the_hub_cache_without_downloading(hub):
    checkpoints, calls = hub
    state = torchvision_state(checkpoints / FILE)
    net = ScanShuffleNetV2(pretrained=True)
    net.init_weights()
    assert_loaded(net, state)
    assert calls == []


def test_offline_without_download_names_file_dir_and_url(hub):
    checkpoints, calls = hub
    net = ScanShuffleNetV2(pretrained=True, download=False)
    with pytest.raises(FileNotFoundError) as error:
        net.init_weights()
    message = str(error.value)
    assert FILE in message and str(checkpoints) in message and URL in message
    assert 'download=False' in message
    assert calls == []


def test_failed_download_names_file_dir_and_url(hub):
    checkpoints, calls = hub
    with pytest.raises(FileNotFoundError) as error:
        ScanShuffleNetV2(pretrained=True).init_weights()
    message = str(error.value)
    assert 'download failed' in message and 'offline' in message
    assert FILE in message and str(checkpoints) in message and URL in message
    # One attempt, into the hub cache, checked against the file's hash.
    assert calls == [(URL, str(checkpoints / FILE), 'f707e7126e')]


def test_a_missing_local_file_names_the_weights_to_get(tmp_path):
    with pytest.raises(FileNotFoundError, match=f'no such file.*{URL}'):
        ScanShuffleNetV2(pretrained=str(tmp_path / 'none.pth')).init_weights()


def test_a_state_dict_of_another_model_is_refused_with_its_keys(tmp_path):
    path = tmp_path / 'other.pth'
    state = torchvision_state(path)
    state['head.weight'] = state.pop('stage3.0.branch1.0.weight')
    torch.save(state, path)
    with pytest.raises(RuntimeError) as error:
        ScanShuffleNetV2(pretrained=str(path)).init_weights()
    message = str(error.value)
    assert "missing 1 keys ['stage3.0.branch1.0.weight']" in message
    assert "unexpected 1 keys ['head.weight']" in message


def test_unknown_width_is_refused():
    with pytest.raises(ValueError, match="got 'x0_3'"):
        ScanShuffleNetV2(arch='x0_3')
