from setuptools import Extension, setup

# A C extension: pip needs a compiler to install it. The generated Dockerfile installs gcc in the
# deps stage only (systemPackages), so the function image ships the compiled module, not the compiler.
setup(name="textstats", version="1.0.0", ext_modules=[Extension("textstats", ["textstats.c"])])
