#!/usr/bin/env python3
"""Generates cpp/src/entity_table.inc, the HTML named character reference table.

The table is derived from html5lib-tests' tokenizer/namedEntities.test (MIT), which holds one
test per entry of the WHATWG HTML named character reference list:

  * "&name;"  -> "Named entity: name; with a semi-colon"; the output is the replacement text.
  * "&name"   -> "Named entity: name without a semi-colon" when the name is one of the legacy
                 references a browser also accepts without ';' (output = replacement text), or
                 "Bad named entity: name without a semi-colon" when it is not (output = the
                 input, unchanged).
  * Names whose ';'-less form starts with a legacy name (e.g. "notin" starts with "not") have no
    ';'-less test at all, because "&notin" decodes as "¬in" rather than staying literal.

The script cross-checks all three cases, so a malformed or changed test file fails loudly
instead of silently producing a wrong table.

Output layout (chosen to stay small once compiled to WebAssembly):

  kEntityNames   one string of all ';'-names in byte order, front-coded in blocks of
                 kEntityBlockSize entries. Every entry starts with a header byte >= 0x80:
                   bit 7    always set (names are ASCII alphanumerics, so this marks a boundary)
                   bit 5    legacy: the name also matches without ';'
                   bits 0-4 number of leading characters shared with the previous entry
                            (always 0 for the first entry of a block)
                 followed by the remaining characters of the name.
  kEntityBlockOffsets  offset of each block's first entry in kEntityNames.
  kEntityValues  3 bytes per entry, little endian: bits 0-16 the first code point,
                 bits 17-20 an index into kEntitySecondCodePoints (0 = single code point).

Usage: python3 tools/gen_entity_table.py [--check]
  --check  do not write; exit 1 if cpp/src/entity_table.inc is not up to date.
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "html5lib-tests" / "namedEntities.test"
OUTPUT = ROOT / "cpp" / "src" / "entity_table.inc"

BLOCK_SIZE = 16
# Counts of the WHATWG list (entities.json has 2231 keys: 2125 with ';' and 106 legacy
# keys without it). A different count means the test file is not what we expect.
EXPECTED_WITH_SEMICOLON = 2125
EXPECTED_LEGACY = 106


def fail(message):
    sys.exit(f"gen_entity_table.py: {message}")


def output_text(test):
    """Concatenates the Character tokens of one test; other tokens are unexpected here."""
    if test.get("doubleEscaped"):
        fail(f"unexpected doubleEscaped test: {test['description']}")
    text = ""
    for token in test["output"]:
        if token[0] != "Character":
            fail(f"unexpected token {token!r} in {test['description']}")
        text += token[1]
    return text


def load_entities():
    tests = json.loads(SOURCE.read_text(encoding="utf-8"))["tests"]
    with_semicolon = {}  # name (without ';') -> replacement text
    legacy = {}  # name -> replacement text, for names valid without ';'
    not_legacy = set()  # names tested to stay literal without ';'
    for test in tests:
        source = test["input"]
        description = test["description"]
        if not source.startswith("&") or not source[1:].rstrip(";").isalnum():
            fail(f"unexpected input {source!r}")
        expected = output_text(test)
        if source.endswith(";"):
            name = source[1:-1]
            if not description.startswith("Named entity:") or name in with_semicolon:
                fail(f"unexpected test {description!r}")
            with_semicolon[name] = expected
        elif description.startswith("Named entity:"):
            legacy[source[1:]] = expected
        elif description.startswith("Bad named entity:"):
            if expected != source:
                fail(f"{description!r}: a bad entity should stay literal, got {expected!r}")
            not_legacy.add(source[1:])
        else:
            fail(f"unexpected test {description!r}")

    for name, text in legacy.items():
        if with_semicolon.get(name) != text:
            fail(f"legacy name {name!r} disagrees with {name!r};")
    if not_legacy - with_semicolon.keys():
        fail(f"bad names without a ';' form: {sorted(not_legacy - with_semicolon.keys())}")
    # Every ';'-name either has a ';'-less test or begins with a legacy name (the case the
    # test file leaves out on purpose, see the module docstring).
    for name in with_semicolon.keys() - legacy.keys() - not_legacy:
        if not any(name.startswith(prefix) for prefix in legacy):
            fail(f"no ';'-less test for {name!r} and no legacy prefix explains why")
    if len(with_semicolon) != EXPECTED_WITH_SEMICOLON or len(legacy) != EXPECTED_LEGACY:
        fail(f"found {len(with_semicolon)} names with ';' and {len(legacy)} legacy names, "
             f"expected {EXPECTED_WITH_SEMICOLON} and {EXPECTED_LEGACY}")
    return with_semicolon, set(legacy)


def shared_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def c_string_lines(data):
    """Renders bytes as C string literal lines, one front-coded block per line. Octal escapes
    are used because a hex escape would swallow a following name character like 'a'."""
    lines = []
    for chunk in data:
        out = ""
        for byte in chunk:
            if byte >= 0x80:
                out += f"\\{byte:03o}"
            else:
                out += chr(byte)
        lines.append(f'    "{out}"')
    return lines


def generate():
    with_semicolon, legacy = load_entities()
    names = sorted(with_semicolon, key=lambda n: n.encode("ascii"))

    second_code_points = [0]
    values = []
    for name in names:
        code_points = [ord(c) for c in with_semicolon[name]]
        if not 1 <= len(code_points) <= 2 or code_points[0] >= 1 << 17:
            fail(f"{name!r}: value does not fit the packed layout")
        index = 0
        if len(code_points) == 2:
            if code_points[1] not in second_code_points:
                second_code_points.append(code_points[1])
            index = second_code_points.index(code_points[1])
        values.append(code_points[0] | index << 17)
    if len(second_code_points) > 16:
        fail("too many distinct second code points for 4 bits")

    max_length = max(map(len, names))
    if max_length > 31:
        fail("a name is too long for the 5-bit prefix length")

    blocks = []
    block_offsets = []
    offset = 0
    for start in range(0, len(names), BLOCK_SIZE):
        block = bytearray()
        previous = ""
        for name in names[start:start + BLOCK_SIZE]:
            prefix = shared_prefix(previous, name)
            block.append(0x80 | (0x20 if name in legacy else 0) | prefix)
            block += name[prefix:].encode("ascii")
            previous = name
        block_offsets.append(offset)
        offset += len(block)
        blocks.append(bytes(block))
    if offset >= 1 << 16:
        fail("names blob too large for 16-bit offsets")

    value_bytes = []
    for value in values:
        value_bytes += [value & 0xFF, value >> 8 & 0xFF, value >> 16 & 0xFF]

    out = []
    out.append("// Generated by tools/gen_entity_table.py -- do not edit; rerun the script instead.")
    out.append("// Source: tests/data/html5lib-tests/namedEntities.test from html5lib/html5lib-tests")
    out.append("// (MIT license, see tests/data/html5lib-tests/LICENSE). The list of named character")
    out.append("// references itself is the one of the WHATWG HTML Living Standard.")
    out.append("// Layout: see the docstring of tools/gen_entity_table.py.")
    out.append("// clang-format off")
    out.append("")
    out.append(f"constexpr int kEntityCount = {len(names)};")
    out.append(f"constexpr int kEntityBlockSize = {BLOCK_SIZE};")
    out.append(f"constexpr int kEntityBlockCount = {len(blocks)};")
    out.append(f"constexpr std::size_t kEntityMaxNameLength = {max_length};")
    out.append(f"constexpr std::size_t kEntityMaxLegacyLength = {max(map(len, legacy))};")
    out.append("")
    out.append("constexpr char32_t kEntitySecondCodePoints[] = {"
               + ", ".join(f"0x{c:X}" for c in second_code_points) + "};")
    out.append("")
    out.append(f"constexpr char kEntityNames[{offset + 1}] =")
    out += c_string_lines(blocks)
    out[-1] += ";"
    out.append("")
    out.append(f"constexpr std::uint16_t kEntityBlockOffsets[{len(blocks)}] = {{")
    for i in range(0, len(block_offsets), 12):
        out.append("    " + ", ".join(str(o) for o in block_offsets[i:i + 12]) + ",")
    out.append("};")
    out.append("")
    out.append(f"constexpr std::uint8_t kEntityValues[{len(value_bytes)}] = {{")
    for i in range(0, len(value_bytes), 24):
        out.append("    " + ",".join(f"0x{b:02X}" for b in value_bytes[i:i + 24]) + ",")
    out.append("};")
    out.append("")
    out.append("// clang-format on")
    return "\n".join(out) + "\n"


def main():
    text = generate()
    if "--check" in sys.argv[1:]:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            sys.exit("cpp/src/entity_table.inc is out of date; run tools/gen_entity_table.py")
        return
    OUTPUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
