from .models import User


def user_create(*, email: str, password: str, full_name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, full_name=full_name)
