"""Checks that every language package shows its examples in its own language: the examples come
from the jsii-rosetta tablet (.jsii.tabl.json), which packaging uses, never the TypeScript
originals. Run by test/bindings/run.sh after the packages are built, from the project root:

- the wheel's description (the README): every ```python block parses as Python (ast.parse), and its
  Development Status classifier is the one the README states;
- the Python module's docstring examples parse as Python;
- the Java sources jar: no README or Javadoc example block reads as TypeScript;
- the Go module: no ```go block of its README and no doc-comment example reads as TypeScript;
- the tablet: every snippet compiled, and has a Python, Java, C# (.NET) and Go translation. The .NET
  package itself needs the .NET SDK, which this machine lacks; it is made from the same tablet.

Prints one line per check and exits non-zero if any fails.
"""
import ast
import glob
import html
import json
import re
import sys
import textwrap
import zipfile

# What only TypeScript writes: declarations with const/let, arrow functions, ES imports, single-quoted
# strings of more than one character (Java and Go quote strings with "), typed parameters.
TYPESCRIPT = [
    re.compile(r"^\s*(const|let)\s+\w+\s*[=:]", re.M),
    re.compile(r"=>"),
    re.compile(r"^\s*import\s*\{[^}]*\}\s*from\s*'", re.M),
    re.compile(r"'[^'\n]{2,}'"),
    re.compile(r"\bdeclare const\b"),
]

failures = []


def report(name, problems):
    print(f"{'ok  ' if not problems else 'FAIL'} {name}")
    for problem in problems[:5]:
        print(f"       {problem}")
    if problems:
        failures.append(name)


def python_syntax_errors(blocks):
    problems = []
    for block in blocks:
        try:
            ast.parse(block)
        except SyntaxError as error:
            problems.append(f"{error.msg}: {block.strip().splitlines()[0][:100]}")
    return problems


def typescript_in(blocks):
    return [block.strip().splitlines()[0][:100] for block in blocks if any(marker.search(block) for marker in TYPESCRIPT)]


def one(pattern):
    matches = glob.glob(pattern, recursive=True)
    if len(matches) != 1:
        raise SystemExit(f"expected one file matching {pattern}, found {matches}")
    return matches[0]


def check_python():
    wheel = zipfile.ZipFile(one("dist/python/*.whl"))
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    blocks = re.findall(r"^```python\n(.*?)^```", metadata, re.S | re.M)
    problems = python_syntax_errors(blocks)
    if not blocks:
        problems.append("the description has no ```python block")
    report(f"wheel description: {len(blocks)} python blocks parse as Python", problems)

    readme = open("README.md", encoding="utf-8").read()
    classifier = re.search(r"^Classifier: (Development Status :: .*)$", metadata, re.M)
    stated = re.search(r"`(Development Status :: [^`]*)`", readme)
    report(
        "wheel classifier matches the README's stability",
        [] if classifier and stated and classifier.group(1) == stated.group(1)
        else [f"wheel: {classifier and classifier.group(1)}, README: {stated and stated.group(1)}"],
    )

    # pacmak writes a doc-comment example as "Example::" and the code indented below it.
    sources = [wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".py")]
    examples = []
    for source in sources:
        for docstring in (node.value.value for node in ast.walk(ast.parse(source))
                          if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                          and isinstance(node.value.value, str)):
            for match in re.finditer(r"Example::\n\n((?:[ \t]+.*\n|\n)+)", docstring + "\n"):
                examples.append(textwrap.dedent(match.group(1)))
    problems = python_syntax_errors(examples)
    if not examples:
        problems.append("no docstring example found")
    report(f"python docstrings: {len(examples)} examples parse as Python", problems)


def normalized(code):
    return " ".join(code.split())


def check_java():
    # Javadoc keeps no fence language: a README block in another language than TypeScript (shell,
    # JSON, a browser's JavaScript) is carried over as it is, and is not an untranslated example.
    readme = open("README.md", encoding="utf-8").read()
    verbatim = {normalized(code) for language, code in re.findall(r"^```(\w*)\n(.*?)^```", readme, re.S | re.M)
                if language not in ("ts", "typescript")}
    jar = zipfile.ZipFile(one("dist/java/**/*-sources.jar"))
    blocks = []
    for name in jar.namelist():
        if name.endswith(".java"):
            source = jar.read(name).decode()
            for block in re.findall(r"<blockquote><pre>\n(.*?)</pre></blockquote>", source, re.S):
                code = html.unescape(re.sub(r"^\s*\* ?", "", block, flags=re.M))
                if normalized(code) not in verbatim:
                    blocks.append(code)
    problems = typescript_in(blocks)
    if not blocks:
        problems.append("the sources jar has no example block")
    report(f"java sources jar: none of {len(blocks)} README and Javadoc blocks reads as TypeScript", problems)


def check_go():
    module = one("dist/go/*/go.mod").rsplit("/", 1)[0]
    readme = open(f"{module}/README.md", encoding="utf-8").read()
    blocks = re.findall(r"^```go\n(.*?)^```", readme, re.S | re.M)
    # pacmak writes a doc-comment example as "// Example:" and the code below it, indented by a tab.
    for name in glob.glob(f"{module}/*.go"):
        for match in re.finditer(r"^// Example:\n//\n((?://\t.*\n|//\n)+)", open(name, encoding="utf-8").read(), re.M):
            blocks.append(re.sub(r"^//\t?", "", match.group(1), flags=re.M))
    problems = typescript_in(blocks)
    if not blocks:
        problems.append("the Go module has no example")
    report(f"go module: none of {len(blocks)} README and doc-comment examples reads as TypeScript", problems)


def check_tablet():
    snippets = json.load(open(".jsii.tabl.json", encoding="utf-8"))["snippets"]
    problems = []
    for key, snippet in snippets.items():
        missing = {"python", "java", "csharp", "go"} - set(snippet["translations"])
        if missing or not snippet.get("didCompile"):
            problems.append(f"{snippet.get('location', key)}: compiled={snippet.get('didCompile')}, missing {sorted(missing)}")
    report(f"rosetta tablet: {len(snippets)} snippets compiled and translated to Python, Java, C# and Go", problems)


check_python()
check_java()
check_go()
check_tablet()
sys.exit(1 if failures else 0)
