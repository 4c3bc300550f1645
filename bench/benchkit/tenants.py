"""Flag documents for the benches and the tenant lists wrk walks (one file per side)."""
import importlib.util
import json
from pathlib import Path

_FLAGS_SCRIPT = Path(__file__).resolve().parents[1] / "wrk" / "flags-10k.py"

# The side a GET goes to, per stage (safe requests; the README's stage table).
SIDE_OF_SAFE_REQUEST = {"legacy": "legacy", "shadow": "legacy", "reads": "new", "new": "new",
                        "final": "new"}


def bench_document(tenants: int) -> dict:
    """t00000 … with the even ones pinned to new and the odd ones to legacy (flags-10k.py)."""
    spec = importlib.util.spec_from_file_location("flags_10k", _FLAGS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.flag_document(tenants)


def write_document(document: dict, path: Path) -> Path:
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path


def tenants_by_side(document: dict) -> dict[str, list[str]]:
    """The tenants with an entry of their own, by the side their GETs go to. Cohort tenants
    (no entry) are left out: which side they are on depends on the rollout's hash."""
    sides: dict[str, list[str]] = {"legacy": [], "new": []}
    for tenant, entry in document.get("tenants", {}).items():
        sides[SIDE_OF_SAFE_REQUEST[entry["stage"]]].append(tenant)
    return sides


def write_list(tenants: list[str], path: Path) -> Path:
    if not tenants:
        raise ValueError(f"no tenants for {path.name}")
    path.write_text("\n".join(tenants) + "\n")
    return path
