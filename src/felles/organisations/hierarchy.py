"""Tree rules for line managers and unit parents (pure, no Django)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def creates_cycle(
    parent_of: Mapping[Hashable, Hashable | None], node: Hashable, new_parent: Hashable | None
) -> bool:
    """Would pointing `node` at `new_parent` close a loop, given the other links in
    `parent_of`? A node may not be its own ancestor."""
    seen = {node}
    current = new_parent
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def find_cycle(parent_of: Mapping[Hashable, Hashable | None]) -> list[Hashable] | None:
    """The first cycle found in a whole parent map (for validating an import), or None."""
    done: set[Hashable] = set()
    for start in parent_of:
        path: list[Hashable] = []
        on_path: set[Hashable] = set()
        node: Hashable | None = start
        while node is not None and node not in done:
            if node in on_path:
                return path[path.index(node) :]
            path.append(node)
            on_path.add(node)
            node = parent_of.get(node)
        done.update(path)
    return None
