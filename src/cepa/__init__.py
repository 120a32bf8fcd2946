"""CEPA Registry: the rules by which Hong Kong bodies take part in China Compulsory Certification."""

__version__ = "0.1.0"
