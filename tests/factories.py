"""factory_boy factories for every model the tests build (each app's section below)."""
import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Association, Intermediary, IntermediaryStaff, User

PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Faker("name")
    preferred_language = "en"
    # Verified unless a test says otherwise (publishing text needs a verified phone or email).
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association {n}")
    country = "FR"
    city = "Lyon"


class IntermediaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intermediary

    name = factory.Sequence(lambda n: f"Volunteer centre {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Intermediary.Kind.VOLUNTEER_CENTRE


class IntermediaryStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntermediaryStaff

    intermediary = factory.SubFactory(IntermediaryFactory)
    user = factory.SubFactory(UserFactory)
