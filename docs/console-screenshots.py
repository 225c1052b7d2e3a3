"""Photographs the running demo console for the README: python3 docs/console-screenshots.py BASE CASEWORKER COORDINATOR."""
import sys

from selenium import webdriver
from selenium.webdriver.common.by import By

base, caseworker, coordinator = sys.argv[1:4]
options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--hide-scrollbars", "--window-size=1200,1000", "--lang=da"]:
    options.add_argument(flag)
driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))


def login(key):
    driver.delete_all_cookies()
    driver.get(base + "/console/login")
    driver.find_element(By.NAME, "api_key").send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "form#login button[type=submit]").click()


try:
    login(caseworker)
    driver.get(base + "/console/inbox")
    driver.save_screenshot("docs/screenshots/inbox.png")
    link = driver.find_element(By.CSS_SELECTOR, "#inkommende a[href^='/console/cases/']").get_attribute("href")
    driver.get(link)
    driver.save_screenshot("docs/screenshots/case.png")
    login(coordinator)
    driver.set_window_size(1200, 1900)
    driver.get(base + "/console/outcomes/readmissions?from=2022-01-01&to=2026-11-30&group_by=age_band")
    driver.save_screenshot("docs/screenshots/outcome.png")
finally:
    driver.quit()
