"""The REST API (a face, like the pages): one module per resource, the error shape, the parser.

Views stay thin: parse, authorise through the selectors, call one service, answer. Every error
is {"code", "message", "fields"} (errors.py); documented at /api/docs/.
"""
