#!/usr/bin/python3
"""docker/ checked without a Docker engine (none runs on these machines): the compose file
parses; every path, stage, binary and config it names exists in the repo or is built by
docker/Dockerfile; the config it runs passes `switchyard --check`; the demo backends accept the
command lines compose gives them; the Dockerfile has its stages, a non-root user, and a
HEALTHCHECK on /__switchyard/health at the port the config listens on; the runtime image
installs every shared library the binary links.

  tests/deploy/docker_files_test.py --switchyard build/app/switchyard \
      --demo-backend build/demo/switchyard-demo-backend
"""
import argparse
import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
# Packages every debian:12-slim image has (essential, or what apt itself needs).
SLIM_BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
BINARIES: dict[str, Path] = {}


def dockerfile_stages(text: str) -> dict[str, dict]:
    """Stage name -> {"from", "lines"} with continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    stages, current = {}, None
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            current = {"from": match.group(1), "lines": []}
            stages[match.group(2) or f"stage{len(stages)}"] = current
        elif current is not None:
            current["lines"].append(line)
    return stages


def instructions(stages: dict, stage: str, keyword: str) -> list[str]:
    """The arguments of `keyword` in `stage` and the stages it is built FROM, oldest first."""
    chain = []
    while stage in stages:
        chain.insert(0, stage)
        stage = stages[stage]["from"]
    found = []
    for name in chain:
        for line in stages[name]["lines"]:
            word, _, rest = line.partition(" ")
            if word.upper() == keyword:
                found.append(rest.strip())
    return found


def ignored(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[0], p)
               for p in patterns)


def executable_targets() -> dict[str, str]:
    """CMake executable name -> the folder it is declared in, over the whole tree."""
    targets = {}
    for cmake in ROOT.glob("**/CMakeLists.txt"):
        if "build" in cmake.relative_to(ROOT).parts[0] or "node_modules" in cmake.parts:
            continue
        for name in re.findall(r"add_executable\(\s*([\w-]+)", cmake.read_text()):
            targets[name] = str(cmake.parent.relative_to(ROOT))
    return targets


class ComposeAndDockerfile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
        cls.services = cls.compose["services"]
        cls.dockerfile_text = (DOCKER / "Dockerfile").read_text()
        cls.stages = dockerfile_stages(cls.dockerfile_text)
        cls.ignore = [l.strip() for l in
                      (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
                      if l.strip() and not l.startswith("#")]

    def stage_of(self, service: str) -> str:
        return self.services[service]["build"]["target"]

    def entrypoint(self, service: str) -> list[str]:
        return json.loads(instructions(self.stages, self.stage_of(service), "ENTRYPOINT")[-1])

    def test_compose_runs_switchyard_two_demo_backends_and_dynalite(self):
        self.assertEqual(set(self.services), {"switchyard", "legacy", "new", "dynalite"})
        self.assertEqual(set(self.services["switchyard"]["depends_on"]),
                         {"legacy", "new", "dynalite"})

    def test_every_build_names_an_existing_context_dockerfile_and_stage(self):
        for name, service in self.services.items():
            with self.subTest(service=name):
                build = service["build"]
                context = (DOCKER / build["context"]).resolve()
                self.assertEqual(context, ROOT)
                self.assertTrue((context / build["dockerfile"]).is_file())
                self.assertIn(build["target"], self.stages)

    def test_every_mounted_file_exists_and_named_volumes_are_declared(self):
        for name, service in self.services.items():
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                with self.subTest(service=name, volume=volume):
                    if source.startswith((".", "/")):
                        self.assertTrue((DOCKER / source).exists(), f"{source} is missing")
                    else:
                        self.assertIn(source, self.compose.get("volumes", {}))

    def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored(self):
        for stage, body in self.stages.items():
            for line in body["lines"]:
                if not line.upper().startswith("COPY ") or "--from=" in line:
                    continue
                words = [w for w in shlex.split(line)[1:] if not w.startswith("--")]
                for source in words[:-1]:
                    with self.subTest(stage=stage, source=source):
                        if source == ".":
                            continue
                        self.assertTrue((ROOT / source).exists(), f"{source} is missing")
                        self.assertFalse(ignored(source, self.ignore), f"{source} is ignored")

    def test_the_build_context_keeps_every_folder_cmake_builds(self):
        top = (ROOT / "CMakeLists.txt").read_text()
        # Tests and benchmarks are switched off in the image's build.
        self.assertIn("-DSWITCHYARD_BUILD_TESTS=OFF", self.dockerfile_text)
        self.assertIn("-DSWITCHYARD_BUILD_BENCH=OFF", self.dockerfile_text)
        for folder in re.findall(r"^add_subdirectory\((\w+)\)", top, re.MULTILINE):
            with self.subTest(folder=folder):
                self.assertFalse(ignored(folder, self.ignore), f"{folder}/ is not sent")

    def test_the_build_stage_configures_from_what_the_context_sends(self):
        """CMake configures a copy of the tracked files less what the .dockerignore drops,
        with the Dockerfile's own flags: a module that reaches into tests/ would fail here."""
        joined = re.sub(r"\\\n", " ", self.dockerfile_text)
        flags = re.search(r"cmake -S \. -B \S+ (.*?)\s*&&", joined).group(1).split()
        tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True,
                                 text=True, check=True).stdout.split("\n")
        with tempfile.TemporaryDirectory(prefix="docker-context-") as scratch:
            context, build = Path(scratch) / "src", Path(scratch) / "build"
            for name in tracked:
                if name and not ignored(name, self.ignore) and (ROOT / name).is_file():
                    (context / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / name, context / name)
            configure = subprocess.run(["cmake", "-S", str(context), "-B", str(build), *flags],
                                       capture_output=True, text=True, timeout=120)
            self.assertEqual(configure.returncode, 0, configure.stdout + configure.stderr)

    def test_each_image_runs_a_binary_the_build_stage_makes(self):
        joined = re.sub(r"\\\n", " ", self.dockerfile_text)
        built = re.search(r"cmake --build \S+ --target ([\w\- ]+?)\s*&&", joined)
        self.assertIsNotNone(built, "no cmake --build --target line")
        targets = executable_targets()
        for name in ("switchyard", "legacy", "new"):
            with self.subTest(service=name):
                program = self.entrypoint(name)[0]
                self.assertIn(program, built.group(1).split())
                copies = [c for c in instructions(self.stages, self.stage_of(name), "COPY")
                          if "--from=build" in c and c.split()[-1].endswith("/" + program)]
                self.assertTrue(copies, f"no COPY --from=build of {program}")
                source = copies[0].split()[-2]  # /build/<folder>/<program>
                self.assertEqual(source, f"/build/{targets[program]}/{program}")

    def test_dynalite_is_the_version_the_lock_file_pins(self):
        entry = self.entrypoint("dynalite")
        self.assertEqual(entry[0], "node")
        self.assertTrue(entry[1].endswith("node_modules/dynalite/cli.js"))
        wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]["dynalite"]
        lock = json.loads((ROOT / "package-lock.json").read_text())
        self.assertEqual(lock["packages"]["node_modules/dynalite"]["version"], wanted)

    def test_the_config_compose_mounts_passes_switchyard_check(self):
        mounts = [v for v in self.services["switchyard"]["volumes"]
                  if v.split(":")[1] == "/etc/switchyard/switchyard.json"]
        self.assertEqual(len(mounts), 1)
        self.assertEqual(self.services["switchyard"]["command"][-1],
                         "/etc/switchyard/switchyard.json")
        config = DOCKER / mounts[0].split(":")[0]
        check = subprocess.run([str(BINARIES["switchyard"]), "--config", str(config), "--check"],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(check.returncode, 0, check.stderr)

    def test_ports_and_backend_urls_agree_with_the_services(self):
        config = json.loads((DOCKER / "switchyard.json").read_text())
        listen_port = config["listen"][0]["address"].rsplit(":", 1)[1]
        admin_port = config["admin"]["address"].rsplit(":", 1)[1]
        published = {p.rsplit(":", 1)[1] for p in self.services["switchyard"]["ports"]}
        self.assertEqual(published, {listen_port, admin_port})
        for side in ("legacy", "new"):
            with self.subTest(side=side):
                url = config["backends"][side]["urls"][0]
                host, port = url.removeprefix("http://").split(":")
                command = self.services[host]["command"]
                self.assertEqual(command[command.index("--name") + 1], side)
                self.assertEqual(command[command.index("--listen") + 1], f"0.0.0.0:{port}")

    def test_demo_backends_accept_the_command_lines_compose_gives_them(self):
        for name in ("legacy", "new"):
            command = list(self.services[name]["command"])
            command[command.index("--listen") + 1] = "127.0.0.1:0"  # loopback here
            with self.subTest(service=name):
                backend = subprocess.Popen([str(BINARIES["demo-backend"]), *command],
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           text=True)
                try:
                    first_line = backend.stdout.readline()
                finally:
                    backend.terminate()
                    backend.wait(10)
                    backend.stdout.close()
                self.assertTrue(first_line.startswith("listening on 127.0.0.1:"), first_line)

    def test_switchyard_stage_runs_as_a_user_with_a_health_check(self):
        self.assertEqual(self.stages["build"]["from"], "debian:12")
        self.assertEqual(self.stages["runtime"]["from"], "debian:12-slim")
        for stage in ("switchyard", "demo-backend", "dynalite"):
            with self.subTest(stage=stage):
                users = instructions(self.stages, stage, "USER")
                self.assertTrue(users, "no USER")
                self.assertNotIn(users[-1], ("root", "0"))
        checks = instructions(self.stages, "switchyard", "HEALTHCHECK")
        self.assertEqual(len(checks), 1)
        port = json.loads((DOCKER / "switchyard.json").read_text())["listen"][0]["address"]
        self.assertIn(f"http://127.0.0.1:{port.rsplit(':', 1)[1]}/__switchyard/health",
                      checks[0])
        self.assertIn("curl", checks[0])
        self.assertRegex(" ".join(instructions(self.stages, "switchyard", "RUN")),
                         r"install[^&]*\bcurl\b")

    def test_runtime_image_installs_every_library_switchyard_links(self):
        installs = " ".join(instructions(self.stages, "runtime", "RUN"))
        ldd = subprocess.run(["ldd", str(BINARIES["switchyard"])], capture_output=True,
                             text=True, check=True).stdout
        for library in re.findall(r"=> (\S+)", ldd):
            owner = None
            for candidate in (library, str(Path(library).resolve())):
                found = subprocess.run(["dpkg", "-S", candidate], capture_output=True,
                                       text=True)
                if found.returncode == 0:
                    owner = found.stdout.split(":")[0]
                    break
            with self.subTest(library=library):
                self.assertIsNotNone(owner, f"no Debian package owns {library}")
                if owner not in SLIM_BASE_PACKAGES:
                    self.assertRegex(installs, rf"(?<![\w.-]){re.escape(owner)}(?![\w.-])")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--switchyard", type=Path, required=True)
    parser.add_argument("--demo-backend", type=Path, required=True)
    args, rest = parser.parse_known_args()
    BINARIES.update({"switchyard": args.switchyard, "demo-backend": args.demo_backend})
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
