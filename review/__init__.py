"""The CME Officer's review screen: `review.app.create_app(settings, engine)`; accounts in `review.accounts`."""
