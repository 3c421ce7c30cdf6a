"""Request and response shapes. Every request serializer refuses fields it does not know."""

from rest_framework import serializers

from api.constants import CallDirection, CallEventType, EventKind
from contacts.constants import Channel, Language, PreferredChannel


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently dropped (a typo must not pass as success)."""

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not part of the request."] for name in unknown})
        return attrs

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ["The body must be a JSON object."]})
        return super().to_internal_value(data)


class CallerQuerySerializer(StrictSerializer):
    phone = serializers.CharField(required=False, max_length=40)
    email = serializers.EmailField(required=False, max_length=254)
    case_reference = serializers.CharField(required=False, max_length=20)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        given = [k for k in ("phone", "email", "case_reference") if attrs.get(k)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one of phone, email or case_reference."]})
        return attrs


class BannerSerializer(serializers.Serializer):
    heading = serializers.CharField()
    summary = serializers.CharField()
    steps = serializers.ListField(child=serializers.CharField())
    conflicts = serializers.ListField(child=serializers.CharField())


class CallerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="customer.pk")
    reference = serializers.CharField(source="customer.reference")
    name = serializers.SerializerMethodField()
    case_references = serializers.SerializerMethodField()
    restricted = serializers.BooleanField(help_text="A restriction of contact is in force (12.1)")
    adjustment = serializers.BooleanField(help_text="A reasonable adjustment is in force (12.2)")
    banners = BannerSerializer(many=True, help_text="What staff must see first (12.3)")
    channels_allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices),
        help_text="Channels the customer may be dealt with on; all of them when unrestricted")
    phone_warning = serializers.CharField(allow_null=True,
                                          help_text="What to tell a caller if phone is refused")
    deep_link = serializers.URLField(help_text="Opens the customer page (staff sign-in)")

    def get_name(self, record) -> str:
        return str(record.customer)

    def get_case_references(self, record) -> list[str]:
        return [c.reference for c in getattr(record.customer, "case_reference_list", [])]


class CallerListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    more = serializers.BooleanField(help_text="More matches than shown: narrow the search")
    results = CallerSerializer(many=True)


class CallEventInSerializer(StrictSerializer):
    event = serializers.ChoiceField(choices=CallEventType.choices)
    call_id = serializers.CharField(max_length=100)
    caller_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    called_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=CallDirection.choices, required=False)
    agent = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                  help_text="The agent's username (or the extension the "
                                            "telephony system maps to it)")
    at = serializers.DateTimeField(required=False, help_text="When it happened (default now)")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["event"] == CallEventType.NEW_CALL and "direction" not in attrs:
            raise serializers.ValidationError({"direction": ["Required for new_call."]})
        return attrs


class CallEventOutSerializer(serializers.Serializer):
    call_id = serializers.CharField()
    state = serializers.ChoiceField(choices=CallEventType.choices)
    created = serializers.BooleanField(help_text="False when this event was already received")
    agent = serializers.CharField(allow_null=True)
    contact_id = serializers.IntegerField(allow_null=True)
    contact_link = serializers.URLField(allow_null=True)
    callers = CallerSerializer(many=True, help_text="Customers with the caller's number, "
                                                    "with what is in force for each")


class SubscriptionInSerializer(StrictSerializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventKind.choices),
                                   min_length=1, max_length=len(EventKind.values))


class SubscriptionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventKind.choices))
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class SubscriptionCreatedSerializer(SubscriptionOutSerializer):
    secret = serializers.CharField(help_text="The signing secret: shown this once")


class DeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    event_id = serializers.UUIDField()
    subscription_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    created_at = serializers.DateTimeField()
    attempts = serializers.IntegerField()
    last_status = serializers.IntegerField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    given_up_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField()


class PlacedInCaseFileInSerializer(StrictSerializer):
    case_reference = serializers.CharField(max_length=20)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (sent as application/problem+json)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)


class CustomerUpsertSerializer(StrictSerializer):
    """The case system's view of a customer. Fields left out are left as they are (on a
    create: empty); a list given replaces that list. Validation is the customers app's."""

    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    preferred_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    address = serializers.CharField(required=False, allow_blank=True, max_length=500)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    preferred_language = serializers.ChoiceField(choices=Language.choices, required=False)
    preferred_channel = serializers.ChoiceField(choices=PreferredChannel.choices,
                                                required=False, allow_blank=True)
    communication_needs = serializers.CharField(required=False, allow_blank=True,
                                                max_length=2000)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   max_length=10)
    emails = serializers.ListField(child=serializers.CharField(max_length=254),
                                   required=False, max_length=10)
    case_references = serializers.ListField(child=serializers.CharField(max_length=20),
                                            required=False, max_length=50)


class CustomerUpsertOutSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    id = serializers.IntegerField()
    reference = serializers.CharField()
    created = serializers.BooleanField()
    deep_link = serializers.URLField()
