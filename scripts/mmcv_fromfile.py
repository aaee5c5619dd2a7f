"""Evaluates an OpenMixup (mmcv 1.x) Python config as mmcv's ``Config.fromfile`` does and prints it as JSON.

Used by ``mixup import-config`` (src/config/import/evaluate.ts); standard library only, Python >= 3.6.

    python3 mmcv_fromfile.py CONFIG.py   ->  {"config": {...}, "files": [every file read, in order]}
    on failure (exit 1)                  ->  {"error": {"kind", "message", "file", "line"}}

What mmcv 1.x does, and so this does:
- ``{{ fileDirname }}``, ``{{ fileBasename }}``, ``{{ fileBasenameNoExtension }}``, ``{{ fileExtname }}`` in the text
  are replaced by the file's own values; ``{{ _base_.a.b }}`` becomes a placeholder replaced by the value at ``a.b``
  of the merged bases.
- The file is run as a module; its names become the config, except ``__dunder__`` names, modules and functions.
  (mmcv imports a temporary copy, so ``__file__`` is the copy's path there; here it is the config's own path.)
- ``_base_`` (one path or a list, relative to the file) is loaded recursively; bases must not share a top-level key
  ("Duplicate key is not allowed among bases"); the file's keys are merged over them by ``merge_a_into_b``: a dict
  merges into a dict key by key unless it carries ``_delete_=True`` (then it replaces it), anything else (lists,
  tuples, scalars) replaces. A dict merged over a non-dict is mmcv's TypeError. As in mmcv, a ``_delete_`` key is
  only consumed where a base value exists; elsewhere it stays (the importer drops it as a private name).
Values are written as JSON: tuples become lists; a value JSON cannot hold (a set, an object, NaN) is written as
``{"__python__": TYPE, "repr": REPR}`` so that the importer can list it by its dotted path.
"""
import json
import math
import os.path as osp
import re
import sys
import traceback
import types

BASE_KEY = '_base_'
DELETE_KEY = '_delete_'
PYTHON_VALUE = '__python__'


class ConfigFailure(Exception):
    """A failure the user can fix, with the file (and line) at fault."""

    def __init__(self, kind, message, file=None, line=None):
        super().__init__(message)
        self.kind, self.message, self.file, self.line = kind, message, file, line


def substitute_predefined_vars(text, filename):
    """mmcv's ``_substitute_predefined_vars``: ``{{ fileDirname }}`` and friends."""
    base = osp.basename(filename)
    values = {
        'fileDirname': osp.dirname(filename),
        'fileBasename': base,
        'fileBasenameNoExtension': osp.splitext(base)[0],
        'fileExtname': osp.splitext(filename)[1],
    }
    for key, value in values.items():
        text = re.sub(r'\{\{\s*' + key + r'\s*\}\}', value.replace('\\', '/'), text)
    return text


def pre_substitute_base_vars(text):
    """mmcv's ``_pre_substitute_base_vars``: ``{{ _base_.a.b }}`` -> a quoted placeholder; returns (text, {placeholder: 'a.b'})."""
    found = {}
    for i, key in enumerate(sorted(set(re.findall(r'\{\{\s*_base_\.([\w\.]+)\s*\}\}', text)))):
        placeholder = '_mixup_base_var_%d_' % i
        found[placeholder] = key
        text = re.sub(r'\{\{\s*_base_\.' + re.escape(key) + r'\s*\}\}', "'%s'" % placeholder, text)
    return text, found


def substitute_base_vars(value, base_vars, base_cfg, filename):
    """mmcv's ``_substitute_base_vars``: placeholders (exact string values) -> values of the merged bases."""
    if isinstance(value, dict):
        return {k: substitute_base_vars(v, base_vars, base_cfg, filename) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        out = [substitute_base_vars(v, base_vars, base_cfg, filename) for v in value]
        return tuple(out) if isinstance(value, tuple) else out
    if isinstance(value, str) and value in base_vars:
        found = base_cfg
        for part in base_vars[value].split('.'):
            if not isinstance(found, dict) or part not in found:
                raise ConfigFailure('base-var', '{{ _base_.%s }}: no such key in the _base_ files' % base_vars[value], filename)
            found = found[part]
        return found
    return value


def run_module(filename, text):
    """Runs the config text as a module, as mmcv's import of its temp copy does; returns the module's names."""
    try:
        code = compile(text, filename, 'exec')
    except SyntaxError as error:
        raise ConfigFailure('syntax', 'invalid Python syntax: %s' % error.msg, filename, error.lineno)
    module = types.ModuleType('mixup_imported_config')
    module.__file__ = filename
    stdout, sys.stdout = sys.stdout, sys.stderr  # what the config prints must not corrupt the JSON on stdout
    try:
        exec(code, module.__dict__)
    except ConfigFailure:
        raise
    except BaseException as error:  # noqa: B902 - any failure of the user's code is reported, with its line
        line = None
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename == filename:
                line = frame.lineno
        raise ConfigFailure('run', '%s: %s' % (type(error).__name__, error), filename, line)
    finally:
        sys.stdout = stdout
    return {
        name: value for name, value in module.__dict__.items()
        if not name.startswith('__') and not isinstance(value, (types.ModuleType, types.FunctionType))
    }


def merge_a_into_b(a, b, filename):
    """mmcv's ``Config._merge_a_into_b`` (non-inplace): values of ``a`` win; see the module docstring."""
    b = b.copy()
    for k, v in a.items():
        if isinstance(v, dict):
            if k in b and not v.pop(DELETE_KEY, False):
                if not isinstance(b[k], dict):
                    raise ConfigFailure(
                        'merge', '%s=%r in child config cannot inherit from base because %s is a dict in the child config '
                        'but is of type %s in base config. You may set `%s=True` to ignore the base config'
                        % (k, v, k, type(b[k]), DELETE_KEY), filename)
                b[k] = merge_a_into_b(v, b[k], filename)
            else:
                b[k] = dict(v)
        else:
            b[k] = v
    return b


def file2dict(filename, files, chain):
    """mmcv's ``Config._file2dict`` for ``.py`` files (and ``.json`` bases)."""
    filename = osp.abspath(osp.expanduser(filename))
    if filename in chain:
        raise ConfigFailure('cycle', '_base_ cycle: %s' % ' -> '.join(chain + [filename]), chain[-1])
    if not osp.isfile(filename):
        if chain:
            raise ConfigFailure('missing', '_base_ entry "%s" does not exist (looked for %s)' % (osp.relpath(filename, osp.dirname(chain[-1])), filename), chain[-1])
        raise ConfigFailure('missing', 'file "%s" does not exist' % filename)
    files.append(filename)
    with open(filename, 'r', encoding='utf-8') as f:
        text = f.read()
    if filename.endswith('.py'):
        text, base_vars = pre_substitute_base_vars(substitute_predefined_vars(text, filename))
        cfg = run_module(filename, text)
    elif filename.endswith('.json'):
        text, base_vars = pre_substitute_base_vars(substitute_predefined_vars(text, filename))
        try:
            cfg = json.loads(text)
        except ValueError as error:
            raise ConfigFailure('syntax', 'invalid JSON: %s' % error, filename)
    else:
        raise ConfigFailure('type', 'only .py and .json configs are supported, got "%s"' % osp.basename(filename), filename)
    if BASE_KEY not in cfg:
        return cfg
    names = cfg.pop(BASE_KEY)
    names = names if isinstance(names, list) else [names]
    base_cfg = {}
    for name in names:
        if not isinstance(name, str):
            raise ConfigFailure('base', '_base_ must be a path or a list of paths, got %r' % (name,), filename)
        one = file2dict(osp.join(osp.dirname(filename), name), files, chain + [filename])
        duplicate = base_cfg.keys() & one.keys()
        if duplicate:
            raise ConfigFailure('base', 'Duplicate key is not allowed among bases. Duplicate keys: %s' % sorted(duplicate), filename)
        base_cfg.update(one)
    cfg = substitute_base_vars(cfg, base_vars, base_cfg, filename)
    return merge_a_into_b(cfg, base_cfg, filename)


def to_json(value):
    """Tuples -> lists; values JSON cannot hold -> ``{"__python__": type, "repr": repr}``."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return {PYTHON_VALUE: type(value).__name__, 'repr': repr(value)[:200]}


def main():
    if len(sys.argv) != 2:
        print('usage: mmcv_fromfile.py CONFIG', file=sys.stderr)
        return 2
    files = []
    try:
        cfg = file2dict(sys.argv[1], files, [])
    except ConfigFailure as failure:
        print(json.dumps({'error': {'kind': failure.kind, 'message': failure.message, 'file': failure.file, 'line': failure.line}}))
        return 1
    print(json.dumps({'config': to_json(cfg), 'files': files}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
