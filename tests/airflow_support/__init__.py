"""Support of the real-Airflow suites: services from Debian, Airflow's processes, its REST API."""
