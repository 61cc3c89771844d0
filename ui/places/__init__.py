"""The Places area: the team's places, each place's page, the supervisors' trends and the deployment log."""
