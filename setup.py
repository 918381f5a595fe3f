"""Build the one extension, boto_elb_c._core, from ext/*.c.

The system libraries are found with pkg-config (honouring $PKG_CONFIG). A missing library stops the build
with the Debian package that provides it. Set BOTO_ELB_C_WERROR=1 to turn compiler warnings into errors (CI
does), and BOTO_ELB_C_SANITIZE=1 for an -fsanitize=address,undefined build.
"""
import glob
import os
import shlex
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.egg_info import egg_info, manifest_maker

# pkg-config module -> (minimum version, Debian package that provides its .pc file)
LIBRARIES = {
    "libcurl": ("7.66.0", "libcurl4-openssl-dev"),
    "libxml-2.0": ("2.9.0", "libxml2-dev"),
    "libcrypto": ("1.1.1", "libssl-dev"),
}


class MissingLibrary(SystemExit):
    pass


def _pkg_config(*args):
    exe = os.environ.get("PKG_CONFIG", "pkg-config")
    try:
        out = subprocess.run([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise MissingLibrary(
            "boto_elb_c: %r was not found. Install it first:\n    apt-get install pkg-config "
            "libcurl4-openssl-dev libxml2-dev libssl-dev" % exe
        )
    return out


def find_libraries():
    """Return (include_dirs, library_dirs, libraries, extra_compile_args, extra_link_args) from pkg-config."""
    missing = []
    for module, (minimum, package) in LIBRARIES.items():
        if _pkg_config("--exists", module).returncode != 0:
            missing.append("%s (install %s)" % (module, package))
        elif _pkg_config("--atleast-version=" + minimum, module).returncode != 0:
            version = _pkg_config("--modversion", module).stdout.strip()
            missing.append("%s >= %s, found %s (upgrade %s)" % (module, minimum, version, package))
    if missing:
        packages = " ".join(LIBRARIES[m.split()[0]][1] for m in missing)
        raise MissingLibrary(
            "boto_elb_c: cannot build, pkg-config did not find:\n    "
            + "\n    ".join(missing)
            + "\nOn Debian or Ubuntu:\n    apt-get install pkg-config %s" % packages
        )
    cflags = shlex.split(_pkg_config("--cflags", *LIBRARIES).stdout)
    libs = shlex.split(_pkg_config("--libs", *LIBRARIES).stdout)
    include_dirs = [f[2:] for f in cflags if f.startswith("-I")]
    other_cflags = [f for f in cflags if not f.startswith("-I")]
    library_dirs = [f[2:] for f in libs if f.startswith("-L")]
    libraries = [f[2:] for f in libs if f.startswith("-l")]
    other_libs = [f for f in libs if not f.startswith(("-L", "-l"))]
    return include_dirs, library_dirs, libraries, other_cflags, other_libs


class BuildExt(build_ext):
    """Resolve the system libraries when the extension is actually built (not for sdist or metadata)."""

    def build_extensions(self):
        include_dirs, library_dirs, libraries, cflags, ldflags = find_libraries()
        warn = ["-Wall", "-Wextra"]
        if os.environ.get("BOTO_ELB_C_WERROR") == "1":
            warn.append("-Werror")
        sanitize = []
        if os.environ.get("BOTO_ELB_C_SANITIZE") == "1":
            sanitize = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=undefined"]
        for ext in self.extensions:
            ext.include_dirs[:0] = ["ext"] + include_dirs
            ext.library_dirs += library_dirs
            ext.libraries += libraries
            ext.extra_compile_args += cflags + warn + sanitize
            ext.extra_link_args += ldflags + sanitize
        super().build_extensions()


# what the source distribution carries besides the package: everything needed to build, test and document it
SDIST_TREES = ("ext", "tests", "docs", "bench")
SDIST_FILES = ("README.rst", "setup.py", "pyproject.toml", ".ci/run")
SDIST_SKIP = ("__pycache__", "_build", ".pytest_cache")


def _extra_sdist_files():
    for tree in SDIST_TREES:
        for root, dirs, files in os.walk(tree):
            dirs[:] = sorted(d for d in dirs if d not in SDIST_SKIP and not d.startswith("."))
            for name in sorted(files):
                if not name.endswith((".pyc", ".so", ".o")):
                    yield os.path.join(root, name)
    for name in SDIST_FILES:
        if os.path.exists(name):
            yield name


class ManifestMaker(manifest_maker):
    def add_defaults(self):
        super().add_defaults()
        for path in _extra_sdist_files():
            self.filelist.append(path)


class EggInfo(egg_info):
    """The sdist's file list (SOURCES.txt) holds ext/, tests/, docs/ and bench/ too: no MANIFEST.in, so the top
    level of the repository stays as it is."""

    def find_sources(self):
        mm = ManifestMaker(self.distribution)
        mm.ignore_egg_info_dir = self.ignore_egg_info_in_manifest
        mm.manifest = os.path.join(self.egg_info, "SOURCES.txt")
        mm.run()
        self.filelist = mm.filelist


if __name__ == "__main__":
    try:
        setup(
            ext_modules=[Extension("boto_elb_c._core", sources=sorted(glob.glob("ext/*.c")), depends=sorted(glob.glob("ext/*.h")))],
            cmdclass={"build_ext": BuildExt, "egg_info": EggInfo},
        )
    except MissingLibrary as exc:
        sys.stderr.write("\n%s\n\n" % exc.code)
        raise
