"""The code generator: schema/puter.openapi.yaml -> puter_client/_generated/.

Run ``python -m codegen`` to write the generated files, ``python -m codegen --check`` to
fail (naming each file) when the committed files differ from what the schema gives.
"""
