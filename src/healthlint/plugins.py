"""The plugin host: finds plugins (entry points and the local ``plugins/`` folder) and builds a manager."""

from __future__ import annotations

import dataclasses
import difflib
import importlib.util
import logging
import os
import re
import sys
import traceback
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from healthlint import hookspecs
from healthlint.config import Config, ConfigError, UsageError, did_you_mean
from healthlint.entrypoints import EntryPoint, entry_points
from healthlint.output.base import Reporter
from healthlint.publish import Publisher
from healthlint.rules import Rule

LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "healthlint"
#: Set to skip third-party entry points (healthlint's own are always loaded).
AUTOLOAD_ENV = "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD"
LOCAL_MODULE_PREFIX = "healthlint_local_plugins"
#: A note on an exception the host raised where a plugin called it wrongly: the plugin's line is the one to name.
CALLERS_FAULT = "healthlint: raised where the caller passed a wrong value"


@dataclass
class PluginInfo:
    """What ``healthlint plugins`` shows about one plugin."""

    name: str
    #: Distribution name, ``local`` for a file in the plugins folder, ``extra`` for objects.
    package: str
    version: str
    #: Where it came from: ``module:attr`` of an entry point, or the file's path.
    source: str
    builtin: bool = False
    hooks: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    error: str | None = None
    #: The distribution's metadata folder (an entry point's), which the result cache stamps; "" for others.
    metadata: str = ""


@dataclass(frozen=True)
class PluginError:
    """A plugin that could not be loaded or used; shown as one clear line, never a traceback."""

    plugin: str
    source: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} ({self.source}): {self.message}"


class HookFailed(Exception):
    """A plugin's implementation of a hook raised (or called ``sys.exit``): names the plugin and the hook."""

    def __init__(self, plugin: str, hook: str, exc: BaseException) -> None:
        self.cause = _describe_exception(exc)
        super().__init__(f"plugin {plugin!r} failed in {hook}: {self.cause}")
        self.plugin = plugin
        self.hook = hook


class PluginManager(pluggy.PluginManager):
    """A pluggy manager plus what registration collected: rules, options, reporters, errors."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.rules: dict[str, Rule] = {}
        self.option_schemas: dict[str, type[Any]] = {}
        #: Which options table each plugin registered (plugin name -> table name).
        self.option_owners: dict[str, str] = {}
        self.reporters: dict[str, type[Reporter]] = {}
        #: Publishers for ``healthlint publish``, by name.
        self.publishers: dict[str, type[Publisher]] = {}
        self.errors: list[PluginError] = []
        #: Other warnings about the plugins the config names (shown like :attr:`errors`).
        self.warnings: list[str] = []
        #: Plugins found but not loaded: named in ``disable-plugins``, or third-party ones under
        #: ``HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD`` (their rule codes are not in :attr:`rules`).
        self.left_out: list[str] = []
        #: The configuration this manager was built for, with every plugin's options parsed.
        self.config = Config()
        self._built_for: Config | None = None

    def configured(self, config: Config) -> Config:
        """``config`` with the plugin options tables parsed (what hooks and rules receive)."""
        if config is self._built_for or config is self.config:
            return self.config
        return config.with_options(self.option_schemas, self.option_owners)

    @property
    def every_plugin_loaded(self) -> bool:
        """No plugin found failed or was left out: the rules registered are all there are."""
        return not self.errors and not self.left_out

    @property
    def builtin_loaded(self) -> bool:
        return any(info.builtin and info.error is None for info in self.infos.values())

    def call(self, hook: str, **kwargs: Any) -> Any:
        """Call a hook; what a plugin's implementation raises becomes :class:`HookFailed` naming it.

        A usage error (a plugin rejecting its options) and Ctrl-C pass through; so does an
        exception no plugin's code raised.
        """
        try:
            return getattr(self.hook, hook)(**kwargs)
        except (UsageError, KeyboardInterrupt, HookFailed):
            raise
        except (Exception, SystemExit, GeneratorExit) as exc:
            plugin = self.blame(exc)
            if plugin is None:
                raise
            raise HookFailed(plugin, hook, exc) from exc

    def call_each(self, hook: str, **kwargs: Any) -> list[HookFailed]:
        """Call every plugin's implementation of a hook on its own, in pluggy's order, so that one plugin
        raising does not keep the others from being called; return the failures, each naming its plugin.

        A usage error and Ctrl-C pass through, as in :meth:`call`. A hook with wrappers is called through
        pluggy (:meth:`call`), since a wrapper must see every other implementation run.
        """
        caller = getattr(self.hook, hook)
        impls = caller.get_hookimpls()
        if any(impl.wrapper or impl.hookwrapper for impl in impls):
            try:
                self.call(hook, **kwargs)
            except HookFailed as failed:
                return [failed]
            return []
        failures: list[HookFailed] = []
        for impl in reversed(impls):
            try:
                impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
            except (UsageError, KeyboardInterrupt):
                raise
            except (Exception, SystemExit, GeneratorExit) as exc:
                failures.append(HookFailed(impl.plugin_name, hook, exc))
        return failures

    def call_first(self, hook: str, **kwargs: Any) -> tuple[str | None, Any]:
        """A ``firstresult`` hook's result and the name of the plugin that gave it (None when none did).

        What an implementation raises becomes :class:`HookFailed` naming its plugin, as in :meth:`call`.
        """
        caller = getattr(self.hook, hook)
        impls = caller.get_hookimpls()
        if any(impl.wrapper or impl.hookwrapper for impl in impls):
            return None, self.call(hook, **kwargs)
        for impl in reversed(impls):
            try:
                result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
            except (UsageError, KeyboardInterrupt):
                raise
            except (Exception, SystemExit, GeneratorExit) as exc:
                raise HookFailed(impl.plugin_name, hook, exc) from exc
            if result is not None:
                return impl.plugin_name, result
        return None, None

    def is_builtin(self, plugin: str) -> bool:
        """Whether a plugin is one of healthlint's own."""
        info = self.infos.get(plugin)
        return info is not None and info.builtin

    def leave_out(self, plugin: str, message: str) -> None:
        """Drop a plugin that failed in a hook for the rest of the run, its rules too (``healthlint plugins``
        shows ``message`` as its error)."""
        info = self.infos.get(plugin)
        if info is None:
            return
        self._fail(info, message)
        self._drop(info)

    def blame(self, exc: BaseException) -> str | None:
        """The plugin whose code raised ``exc``: the outermost frame of its traceback in a plugin's module.

        A hook wrapper's frame is passed over when a plugin's frame follows it: pluggy throws what an
        implementation inside the wrapper raised into the wrapper's ``yield``.
        """
        modules = {}
        for plugin in self.get_plugins():
            module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
            modules[module] = self.get_name(plugin) or module
        wrappers = {
            impl.function.__code__
            for caller in vars(self.hook).values()
            if isinstance(caller, pluggy.HookCaller)
            for impl in caller.get_hookimpls()
            if impl.wrapper or impl.hookwrapper
        }
        wrapper: str | None = None
        tb = exc.__traceback__
        while tb is not None:
            name = modules.get(tb.tb_frame.f_globals.get("__name__", ""))
            if name is not None and tb.tb_frame.f_code not in wrappers:
                return name
            wrapper = wrapper or name
            tb = tb.tb_next
        return wrapper

    def _fail(self, info: PluginInfo, message: str) -> None:
        info.error = message
        self.errors.append(PluginError(info.name, info.source, message))
        LOG.debug("plugin %s failed: %s", info.name, message)

    def add_plugin(self, plugin: object, info: PluginInfo) -> bool:
        """Register one plugin; on any problem record an error naming it and leave it out."""
        self.infos[info.name] = info
        try:
            self.register(plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            self._fail(info, _short_validation_error(exc))
            return False
        except ValueError as exc:  # the same name or object registered twice
            self._fail(info, str(exc))
            return False
        unknown = sorted(hc.name for hc in self.get_hookcallers(plugin) or [] if not hc.has_spec())
        if unknown:
            self.unregister(plugin)
            known = [name for name in dir(hookspecs) if name.startswith("healthlint_")]
            hints = [difflib.get_close_matches(name, known, n=1) for name in unknown]
            did_you_mean = "".join(f" (did you mean {hint[0]}?)" for hint in hints if hint)
            self._fail(info, f"uses unknown hook {', '.join(unknown)}{did_you_mean}")
            return False
        info.hooks = sorted(hc.name for hc in self.get_hookcallers(plugin) or [])
        return True

    def collect_registrations(self) -> None:
        """Call each plugin's register hooks with a ``register`` that knows which plugin it serves."""
        for hook_name, sink in (
            ("healthlint_register_rules", self._add_rule),
            ("healthlint_register_options", self._add_options),
            ("healthlint_register_reporters", self._add_reporter),
            ("healthlint_register_publishers", self._add_publisher),
        ):
            caller = getattr(self.hook, hook_name)
            for impl in caller.get_hookimpls():  # in registration order: first come, first served
                name = impl.plugin_name
                info = self.infos.get(name) or PluginInfo(name, "extra", "", repr(impl.plugin))
                self.infos.setdefault(name, info)
                if info.error:
                    continue

                def register(obj: Any, *args: Any, _info: PluginInfo = info, _sink: Callable[..., None] = sink) -> None:
                    try:
                        _sink(_info, obj, *args)
                    except Exception as exc:
                        exc.add_note(CALLERS_FAULT)  # name the plugin's line that registered it
                        raise

                try:
                    impl.function(**{arg: register for arg in impl.argnames})
                except (Exception, SystemExit) as exc:  # a plugin's bug (or sys.exit) must not stop the run
                    self._fail(info, f"{hook_name} raised {_describe_exception(exc)}")
                    self._drop(info)
                if self._failed(info):  # a rule refused (a code taken, a bad name): the run goes on without it, whole
                    self._drop(info)

    @staticmethod
    def _failed(info: PluginInfo) -> bool:
        return info.error is not None

    def _drop(self, info: PluginInfo) -> None:
        for code in info.rules:
            self.rules.pop(code, None)
        info.rules = []
        plugin = self.get_plugin(info.name)
        if plugin is not None:
            self.unregister(plugin)

    def _add_rule(self, info: PluginInfo, rule: Any) -> None:
        if not isinstance(rule, Rule):
            raise TypeError(f"register() takes a healthlint.Rule, got {type(rule).__name__}")
        problems = rule.problems()
        if rule.code.startswith("HL") and not info.builtin:
            problems.append(f"code {rule.code} uses the HL prefix, which is reserved for healthlint's own rules")
        if rule.code in self.rules:
            other = self.rules[rule.code].plugin
            problems.append(f"code {rule.code} is already registered by plugin {other!r}")
        if problems:
            self._fail(info, "; ".join(problems))
            return
        self.rules[rule.code] = dataclasses.replace(rule, plugin=info.name)
        info.rules.append(rule.code)

    def _add_options(self, info: PluginInfo, name: Any, schema: Any = None) -> None:
        if not isinstance(name, str) or schema is None:
            raise TypeError("register() takes a table name and an options dataclass")
        if name in self.option_schemas:
            owner = next((plugin for plugin, table in self.option_owners.items() if table == name), None)
            by = f" by plugin {owner!r}" if owner else ""
            raise ValueError(f"options table {name!r} is already registered{by}; choose a name of your own")
        if not (isinstance(schema, type) and dataclasses.is_dataclass(schema)):
            what = f"the plain class {schema.__name__} (add @dataclass)" if isinstance(schema, type) else repr(schema)
            raise TypeError(f"options {name!r} must be a dataclass type, not {what}")
        missing = [
            f.name
            for f in dataclasses.fields(schema)
            if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        if missing:  # a config may leave any key out, or have no table at all
            raise TypeError(f"options {name!r}: every field needs a default, and {', '.join(missing)} has none")
        try:
            typing.get_type_hints(schema)
            schema()
        except Exception as exc:  # the options are built from the hints and defaults for every run
            raise TypeError(
                f"options {name!r} cannot be built from their defaults: {_describe_exception(exc)}"
            ) from exc
        self.option_schemas[name] = schema
        self.option_owners.setdefault(info.name, name)

    def _add_reporter(self, info: PluginInfo, reporter: Any) -> None:
        if not (isinstance(reporter, type) and issubclass(reporter, Reporter)):
            raise TypeError("register() takes a healthlint.output.Reporter subclass")
        self.reporters[reporter.name] = reporter

    def _add_publisher(self, info: PluginInfo, publisher: Any) -> None:
        if not (isinstance(publisher, type) and issubclass(publisher, Publisher)):
            raise TypeError("register() takes a healthlint.publish.Publisher subclass")
        if not isinstance(publisher.name, str) or not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", publisher.name):
            raise ValueError(f"publisher name {publisher.name!r} must be kebab-case, like 'site'")
        if publisher.name in self.publishers:
            raise ValueError(f"a publisher named {publisher.name!r} is already registered")
        self.publishers[publisher.name] = publisher


def _short_validation_error(exc: pluggy.PluginValidationError) -> str:
    text = str(exc)
    # pluggy's message names the plugin object; keep the part that says what is wrong.
    if "hookimpl definition:" in text:
        return "bad hook implementation: " + text.split("\n")[0].split("hookimpl definition:")[-1].strip()
    return text.splitlines()[0] if text else "failed validation"


def _describe_exception(exc: BaseException) -> str:
    """``SyntaxError: invalid syntax (broken.py, line 3)`` style, one line."""
    if isinstance(exc, SyntaxError):
        where = f" ({Path(exc.filename).name if exc.filename else '?'}, line {exc.lineno})"
        return f"SyntaxError: {exc.msg}{where}"
    frames = list(traceback.extract_tb(exc.__traceback__))
    if CALLERS_FAULT in getattr(exc, "__notes__", ()):
        host = frames[-1].filename if frames else None
        while frames and frames[-1].filename == host:  # the host's own frames: name the caller's line
            frames.pop()
    where = ""
    if frames:
        last = frames[-1]
        where = f" ({Path(last.filename).name}, line {last.lineno})"
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def _entry_points() -> Iterable[EntryPoint]:
    seen: set[tuple[str, str]] = set()
    for ep in entry_points(ENTRY_POINT_GROUP):
        key = (ep.name, ep.value)
        if key not in seen:  # a package installed twice on sys.path lists its entry points twice
            seen.add(key)
            yield ep


def _load_local_module(path: Path, root_name: str) -> ModuleType:
    module_name = f"{LOCAL_MODULE_PREFIX}.{root_name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered in sys.modules so its rules' functions can be pickled for worker processes.
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def local_plugins_dir(config: Config) -> Path:
    path = Path(config.plugins_dir)
    return path if path.is_absolute() else config.root / path


def get_plugin_manager(
    config: Config,
    *,
    autoload: bool | None = None,
    local: bool = True,
    extra: Iterable[object] = (),
) -> PluginManager:
    """Build a fresh plugin manager for one run.

    :param config: decides the plugins folder and which plugins are disabled or required.
    :param autoload: load third-party entry points (default: unless ``HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD``
        is set); healthlint's own entry points are always loaded.
    :param local: load ``*.py`` from the configured plugins folder.
    :param extra: more plugin objects (modules, classes or instances), e.g. for tests.
    :raises ConfigError: when a plugin in ``require-plugins`` is missing or broken, or a
        plugin options table is wrong.
    """
    if autoload is None:
        autoload = not os.environ.get(AUTOLOAD_ENV)
    pm = PluginManager()
    disabled = set(config.disable_plugins)
    # healthlint's own first: registration is first come, first served, and a package's entry points may be listed
    # before healthlint's (a plugin registering the options table 'claims' took it, and the claims family failed).
    for ep in sorted(_entry_points(), key=lambda ep: ep.dist_name.lower() != "healthlint"):
        package, version = ep.dist_name, ep.dist_version
        builtin = package.lower() == "healthlint"
        if ep.name in disabled or (not builtin and not autoload):
            pm.left_out.append(ep.name)
            continue
        info = PluginInfo(ep.name, package, version, ep.value, builtin=builtin, metadata=ep.dist_path)
        try:
            module = ep.load()
        except (Exception, SystemExit) as exc:  # any import-time failure of a plugin, sys.exit too
            pm.infos[ep.name] = info
            pm._fail(info, f"failed to import: {_describe_exception(exc)}")
            continue
        pm.add_plugin(module, info)

    folder = local_plugins_dir(config)
    if local and folder.is_dir():
        from healthlint import __version__

        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            if path.stem in disabled:
                pm.left_out.append(path.stem)
                continue
            shown = _display(path)
            info = PluginInfo(path.stem, "local", __version__, shown)
            if path.stem in pm.infos:
                pm.infos[f"{path.stem} ({shown})"] = info
                pm._fail(info, f"a plugin named {path.stem!r} is already loaded; rename the file")
                continue
            try:
                module = _load_local_module(path, path.stem)
            except (Exception, SystemExit) as exc:  # any import-time failure of a plugin, sys.exit too
                pm.infos[path.stem] = info
                pm._fail(info, f"failed to import: {_describe_exception(exc)}")
                continue
            pm.add_plugin(module, info)
    elif local and config.plugins_dir != "plugins":
        raise ConfigError(
            f"plugins-dir {config.plugins_dir!r} is not a folder", config.source, config.key_prefix + "plugins-dir"
        )

    for obj in extra:
        base = getattr(obj, "__name__", None) or type(obj).__name__
        name, n = base, 1
        while name in pm.infos:
            n += 1
            name = f"{base}-{n}"
        pm.add_plugin(obj, PluginInfo(name, "extra", "", repr(obj)))

    pm.collect_registrations()
    for required in config.require_plugins:
        found = pm.infos.get(required)
        if found is None or found.error:
            why = (
                found.error
                if found and found.error
                else "not installed (a plugin package must be installed beside healthlint; under pre-commit:"
                " additional_dependencies)"
            )
            if found is None and required in pm.left_out:
                why = "left out by disable-plugins" if required in disabled else f"left out by {AUTOLOAD_ENV}"
            raise ConfigError(
                f"required plugin {required!r} is not available: {why}",
                config.source,
                config.key_prefix + "require-plugins",
            )
    pm.config = _without_tables_of_missing_plugins(config, pm).with_options(pm.option_schemas, pm.option_owners)
    pm._built_for = config
    return pm


def _without_tables_of_missing_plugins(config: Config, pm: PluginManager) -> Config:
    """``config`` less the options tables no plugin claims, when a plugin that could claim them did not load (it
    failed, or was left out): the run goes on without that plugin, and a warning in :attr:`PluginManager.warnings`
    names each table. With every plugin loaded, an unclaimed table is a typo, and :meth:`Config.with_options`
    refuses it."""
    absent = {e.plugin for e in pm.errors} | set(pm.left_out)
    # A table close to a loaded plugin's and named after none that is missing is a typo of it ([plugins.disclaimers]):
    # it stays, for with_options to refuse with a "did you mean", as when every plugin loaded.
    unclaimed = [
        name
        for name in config.plugin_tables
        if name not in pm.option_schemas and (name in absent or not did_you_mean(name, pm.option_schemas))
    ]
    missing = [f"{e.plugin!r} ({e.message.split(':')[0]})" for e in pm.errors]
    disabled = set(config.disable_plugins)
    missing += [
        f"{name!r} (left out by {'disable-plugins' if name in disabled else AUTOLOAD_ENV})"
        for name in sorted(set(pm.left_out))
    ]
    if not unclaimed or not missing:
        return config
    for name in unclaimed:
        error = ConfigError(
            f"no loaded plugin takes these options, so they are not read: plugins that did not load: "
            f"{', '.join(missing)}",
            config.source,
            config.plugin_key(name),
        )
        pm.warnings.append(str(error))
    tables = {name: table for name, table in config.plugin_tables.items() if name not in unclaimed}
    return dataclasses.replace(config, plugin_tables=tables)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
