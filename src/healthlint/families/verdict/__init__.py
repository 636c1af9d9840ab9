"""The verdict family: the weight of moderate evidence from every family, as one learned gate verdict."""
