"""The OpenAPI schema documents every error an endpoint can answer, in the one JSON shape of
api/exceptions.py: 400 bad input, 401 not authenticated, 403 not allowed, 404 not found (or not
yours), 409 conflict, 413 too large, 429 throttled."""
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework import serializers

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ERRORS = {
    "400": "The input is invalid: each error names its field and says how to fix it.",
    "401": "Not authenticated: send a token (Authorization: Token <key>) or log in.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found, or not yours to see.",
    "409": "Changed by someone else at the same time: reload and try again.",
    "413": "The request body is too large.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}
WRITE_ONLY_ERRORS = {"409", "413"}


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The field at fault (a.b[0].c for nested ones), or null.")
    message = serializers.CharField(help_text="A sentence in the user's language.")
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="The first message.")
    errors = ErrorItemSerializer(many=True)


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code in responses or (code in WRITE_ONLY_ERRORS and self.method not in WRITE_METHODS):
                continue
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = description
            responses[code] = response
        return responses
