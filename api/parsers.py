"""JSON bodies, at most ``API_MAX_BODY_BYTES``: a larger body is refused before it is read."""

import io

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BodyTooLargeError(ParseError):
    default_detail = "The request body is too large."
    default_code = "body_too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.API_MAX_BODY_BYTES
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            declared = int(length) if length else 0
        except ValueError:
            declared = 0
        if declared > limit:
            raise BodyTooLargeError(f"The request body is over {limit} bytes.")
        if stream is None:
            return super().parse(stream, media_type, parser_context)
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise BodyTooLargeError(f"The request body is over {limit} bytes.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
