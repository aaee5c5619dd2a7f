"""Writes reference outputs of a torchvision model for test/models/torchvision-xcheck.test.ts (opt-in).

Run where PyTorch and torchvision are installed (no other package needed):

    python3 test/models/torchvision/export_reference.py DIR resnet18 resnext50_32x4d resnet50
    MIXUP_TORCHVISION_XCHECK=DIR npx jest test/models/torchvision-xcheck

For each model: DIR/<name>.safetensors (its state_dict, 10 classes, random weights and non-trivial BN statistics) and
DIR/<name>_io.safetensors (a 2x3x64x64 input, eval-mode logits, train-mode logits and the BN running statistics after
those two passes).
"""
import json
import struct
import sys

import torch
import torchvision


def save(path, tensors):
    """safetensors format: u64 header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        dtype, data = ('I64', t.numpy().tobytes()) if t.dtype == torch.int64 else ('F32', t.float().numpy().tobytes())
        header[key] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)))
        f.write(raw)
        for data in blobs:
            f.write(data)


def export(out_dir, name):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(num_classes=10)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.normal_(0, 0.1)
            bn.running_mean.normal_(0, 0.1)
            bn.running_var.uniform_(0.5, 1.5)
    save(f'{out_dir}/{name}.safetensors', model.state_dict())
    x = torch.randn(2, 3, 64, 64)
    model.eval()
    logits_eval = model(x)
    model.train()
    logits_train = model(x)
    save(f'{out_dir}/{name}_io.safetensors', {
        'x': x, 'eval': logits_eval, 'train': logits_train,
        'bn1.running_mean': model.bn1.running_mean, 'bn1.running_var': model.bn1.running_var,
        'last_bn.running_var': bns[-1].running_var,
    })


if __name__ == '__main__':
    for model_name in sys.argv[2:]:
        export(sys.argv[1], model_name)
        print('wrote', model_name)
