"""Which generated models module each model goes to (``codegen/modules.py``).

A model goes to the one module whose operations reach it, to ``common`` when several do,
and where its component's ``x-puter-module`` says when none does; a module imports from
``common`` only. The committed output holds to the same rules (last tests).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import pytest

from codegen.modules import assign_modules
from codegen.schema import SchemaError
from puter_client._generated import models

MODELS_SOURCE = """
class Leaf:
    x: int

class Branch:
    leaf: Leaf

class Left:
    branch: Branch

class Right:
    branch: Branch

class Loner:
    x: int

class Pinned:
    leaf: Leaf
"""


def operation(module: str | None, *refs: str) -> dict[str, Any]:
    """A POST operation of ``module`` whose body is a oneOf of ``refs``."""
    found: dict[str, Any] = {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"oneOf": [{"$ref": f"#/components/schemas/{r}"} for r in refs]}
                }
            }
        }
    }
    if module is not None:
        found["x-puter-module"] = module
    return found


def schema(*operations: dict[str, Any], components: dict[str, Any] | None = None) -> dict[str, Any]:
    paths = {f"/op{index}": {"post": op} for index, op in enumerate(operations)}
    return {"paths": paths, "components": {"schemas": components or {}}}


def test_a_model_only_one_module_reaches_goes_to_that_module() -> None:
    every_one = schema(operation("left", "Left", "Right", "Pinned", "Loner"))
    assert set(assign_modules(every_one, MODELS_SOURCE).values()) == {"left"}


def test_a_model_several_modules_reach_goes_to_common() -> None:
    assignment = assign_modules(
        schema(operation("left", "Left"), operation("right", "Right")), MODELS_SOURCE
    )
    assert (assignment["Left"], assignment["Right"]) == ("left", "right")
    assert assignment["Branch"] == assignment["Leaf"] == "common"


def test_a_model_no_operation_reaches_goes_to_common() -> None:
    assignment = assign_modules(schema(operation("left", "Left")), MODELS_SOURCE)
    assert assignment["Loner"] == "common"


def test_what_a_model_of_common_names_goes_to_common_too() -> None:
    assignment = assign_modules(schema(operation("left", "Left")), MODELS_SOURCE)
    assert assignment["Right"] == "common"  # no operation reaches it
    assert assignment["Branch"] == assignment["Leaf"] == "common"  # Right names them
    assert assignment["Left"] == "left"


def test_a_component_no_operation_reaches_may_name_its_module() -> None:
    pinned = {"Loner": {"x-puter-module": "right"}}
    assignment = assign_modules(schema(operation("left", "Left"), components=pinned), MODELS_SOURCE)
    assert assignment["Loner"] == "right"


def test_what_a_pinned_model_names_from_another_module_moves_to_common() -> None:
    pinned = {"Pinned": {"x-puter-module": "right"}}
    operations = schema(operation("left", "Left", "Right"), components=pinned)
    assignment = assign_modules(operations, MODELS_SOURCE)
    assert assignment["Pinned"] == "right"
    assert assignment["Leaf"] == "common"  # Pinned (right) names it, and left reaches it
    assert assignment["Branch"] == "left"


def test_driver_methods_each_name_their_module() -> None:
    driver = operation(None, "Left", "Right")
    driver["x-puter-driver-methods"] = [
        {"name": "go_left", "request": "Left", "x-puter-module": "left"},
        {"name": "go_right", "request": "Right", "x-puter-module": "right"},
    ]
    assignment = assign_modules(schema(driver), MODELS_SOURCE)
    assert (assignment["Left"], assignment["Right"], assignment["Branch"]) == (
        "left",
        "right",
        "common",
    )


def test_an_operation_without_a_module_is_a_schema_error_naming_it() -> None:
    with pytest.raises(SchemaError, match=r"POST /op0: x-puter-module"):
        assign_modules(schema(operation(None, "Left")), MODELS_SOURCE)


@pytest.mark.parametrize("bad", ["", "class", "_private", "two words", 3])
def test_a_module_name_that_is_no_python_module_name_is_a_schema_error(bad: object) -> None:
    with pytest.raises(SchemaError, match="x-puter-module must name a module"):
        assign_modules(schema(operation(bad, "Left")), MODELS_SOURCE)  # type: ignore[arg-type]


def test_a_stream_line_model_goes_to_the_stream_module_of_its_method() -> None:
    driver = operation(None)
    driver["x-puter-driver-methods"] = [
        {
            "name": "draw",
            "request": "Left",
            "stream-line": "Loner",
            "x-puter-module": "left",
            "x-puter-stream-module": "left_stream",
        }
    ]
    assignment = assign_modules(schema(driver), MODELS_SOURCE)
    assert (assignment["Left"], assignment["Loner"]) == ("left", "left_stream")


def test_a_reference_to_a_model_the_source_lacks_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="Missing"):
        assign_modules(schema(operation("left", "Missing")), MODELS_SOURCE)


# ------------------------------------------------------------------ the committed output


@pytest.mark.parametrize("module", sorted(set(models.MODULE_OF.values()) - {"common"}))
def test_a_committed_module_imports_models_from_common_only(module: str) -> None:
    loaded = importlib.import_module(f"{models.__name__}.{module}")
    for name, value in vars(loaded).items():
        home = models.MODULE_OF.get(name)
        if home is not None and home != module:
            assert home == "common", f"{module} imports {name} from {home}"
            assert value is getattr(models, name)


def test_every_name_of_the_package_is_defined_in_the_module_it_names() -> None:
    for name, module in models.MODULE_OF.items():
        loaded = importlib.import_module(f"{models.__name__}.{module}")
        assert getattr(models, name) is getattr(loaded, name)
        if isinstance(getattr(loaded, name), type):
            assert getattr(loaded, name).__module__ == loaded.__name__


def test_an_unknown_name_of_the_package_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def loaded_models_modules_after(code: str) -> list[str]:
    """The models modules a fresh interpreter has loaded after running ``code``."""
    script = (
        f"import sys\n{code}\n"
        "prefix = 'puter_client._generated.models.'\n"
        "print(' '.join(sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_importing_the_package_imports_no_models_module() -> None:
    assert loaded_models_modules_after("from puter_client._generated import models") == []


def test_a_chat_round_trip_loads_only_the_chat_and_common_models() -> None:
    code = (
        "from puter_client._generated import models\n"
        "from puter_client.core.serialization import structure, unstructure\n"
        "unstructure(structure({'driver': 'ai-chat', 'args': {'model': 'm', 'messages': "
        "[{'role': 'user', 'content': 'hi'}]}}, models.ChatCompleteCall))\n"
        "structure({'success': True, 'result': {'message': {'role': 'assistant', "
        "'content': [{'type': 'text', 'text': 'hello'}]}}}, models.ChatCompleteResponse)"
    )
    assert loaded_models_modules_after(code) == ["_repr", "chat", "common"]
