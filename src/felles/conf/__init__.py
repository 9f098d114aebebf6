"""Settings, URLs, API assembly and WSGI entry point."""

# Shown when Felles is asked to serve or sign without a secret key (production mode).
SETUP_HINT = "FELLES_SECRET_KEY må settes når FELLES_DEBUG er av (se docs/configuration.md)."
