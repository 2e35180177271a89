FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY papers ./papers
COPY reviews ./reviews
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home --uid 1000 app && mkdir -p /app/media /app/staticfiles \
    && chown -R app:app /app
USER app
EXPOSE 8000
