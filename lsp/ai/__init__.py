"""AI assistance for DevSync: inline completions, code actions and chat.

Everything that talks to a model goes through ``lsp.ai.provider`` (litellm,
imported lazily). The rest of the package is plain Python that the language
server and the web server both use.
"""
