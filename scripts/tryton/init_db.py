"""Create the demo Tryton database the ERP boundary talks to: the company (company.csv), EUR, a minimal
chart of accounts and this year's fiscal year, customers with their addresses (customers.csv,
addresses.csv), products (products.csv), stock in the warehouse and credit limits (demo-*.csv beside
this script). Runs with the Tryton venv's python; idempotent: a database already initialised is left
as it is.

    python init_db.py --dir DATA/tryton --name aiguillage --masterdata fixtures/masterdata
"""
import argparse
import csv
import datetime
import os
import secrets
import sqlite3
import subprocess
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ['sale', 'stock', 'sale_credit_limit']


def read_csv(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def write_config(directory):
    path = os.path.join(directory, 'trytond.conf')
    if not os.path.exists(path):
        with open(path, 'w', encoding='utf-8') as f:
            f.write('[database]\nuri = sqlite://\npath = %s\n\n[web]\nlisten = 127.0.0.1:8000\n' % directory)
    return path


def admin_password(directory):
    """The admin password lives beside the database (mode 600); made once, random."""
    path = os.path.join(directory, 'admin.password')
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(secrets.token_urlsafe(18) + '\n')
    return path


def create_database(directory, name, conf, passfile):
    db = os.path.join(directory, name + '.sqlite')
    sqlite3.connect(db).close()
    admin = os.path.join(os.path.dirname(sys.executable), 'trytond-admin')
    env = dict(os.environ, TRYTONPASSFILE=passfile)
    subprocess.run(
        [admin, '-c', conf, '-d', name, '--all', '--activate-dependencies', '--email', 'admin@localhost', '-u', *MODULES],
        check=True, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def load(conf, name, masterdata, today):
    from proteus import Model, Wizard, config as pconfig
    from trytond.modules.company.tests.tools import create_company, get_company
    from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, get_accounts
    from trytond.modules.account_invoice.tests.tools import set_fiscalyear_invoice_sequences

    pconfig.set_trytond(database=name, config_file=conf)

    Currency = Model.get('currency.currency')
    Party = Model.get('party.party')
    Country = Model.get('country.country')
    Identifier = Model.get('party.identifier')

    eur = Currency.find([('code', '=', 'EUR')])
    if eur:
        eur, = eur
    else:
        eur = Currency(name='Euro', code='EUR', symbol='€', rounding=Decimal('0.01'), digits=2)
        eur.save()

    countries = {}

    def country(code):
        if code not in countries:
            found = Country.find([('code', '=', code)])
            if found:
                countries[code] = found[0]
            else:
                c = Country(name=code, code=code)
                c.save()
                countries[code] = c
        return countries[code]

    us, = read_csv(os.path.join(masterdata, 'company.csv'))
    party = Party(name=us['name'])
    addr = party.addresses[0] if party.addresses else party.addresses.new()
    addr.street = us['street']
    addr.postal_code = us['postal_code']
    addr.city = us['city']
    addr.country = country(us['country'])
    party.save()
    create_company(party, eur)
    company = get_company()
    create_chart(company)
    fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(company, today))
    fiscalyear.click('create_period')
    accounts = get_accounts(company)

    addresses = {}
    for a in read_csv(os.path.join(masterdata, 'addresses.csv')):
        addresses.setdefault(a['customer_id'], []).append(a)
    for c in read_csv(os.path.join(masterdata, 'customers.csv')):
        p = Party(name=c['name'], code=c['id'])
        # A new party comes with one empty address: the first of ours fills it.
        for i, a in enumerate(addresses.get(c['id'], [])):
            addr = p.addresses[0] if i == 0 and p.addresses else p.addresses.new()
            addr.party_name = a['name'] or None
            addr.street = a['street'] or None
            addr.postal_code = a['postal_code'] or None
            addr.city = a['city'] or None
            addr.country = country(a['country']) if a['country'] else None
            addr.invoice = a['type'] == 'billing'
            addr.delivery = a['type'] == 'delivery'
        p.save()
        # Our address codes and GLNs ride on the addresses as identifiers, so a ship-to code or GLN
        # reads back from the ERP as it is in addresses.csv. Tryton 8.2 has no GLN identifier type
        # (its types are tax and company numbers, checked by python-stdnum): the GLN is an untyped
        # identifier after our code, told apart by its 13 digits (erp/masterdata.ts).
        for addr, a in zip(p.addresses, addresses.get(c['id'], [])):
            Identifier(party=p, address=addr, type=None, code=a['code']).save()
            if a['gln']:
                Identifier(party=p, address=addr, type=None, code=a['gln']).save()

    Uom = Model.get('product.uom')
    UomCategory = Model.get('product.uom.category')
    ModelData = Model.get('ir.model.data')
    Category = Model.get('product.category')
    Template = Model.get('product.template')
    ProductIdentifier = Model.get('product.identifier')
    unit_cat = UomCategory(ModelData.get_id('product', 'uom_cat_unit', pconfig.get_config().context))
    units = {}

    def uom(code):
        if code not in units:
            found = Uom.find([('symbol', '=', code), ('category', '=', unit_cat.id)])
            if found:
                units[code] = found[0]
            else:
                u = Uom(name=code, symbol=code, category=unit_cat, factor=1, rate=1, rounding=1, digits=0)
                u.save()
                units[code] = u
        return units[code]

    goods = Category(name='Marchandises', accounting=True)
    goods.account_revenue = accounts['revenue']
    goods.account_expense = accounts['expense']
    goods.save()
    lines = {}
    for row in read_csv(os.path.join(masterdata, 'products.csv')):
        line = row['product_line']
        if line and line not in lines:
            lines[line] = Category(name=line)
            lines[line].save()
        t = Template(name=row['description'], code=row['sku'], type='goods')
        t.default_uom = uom(row['unit'] or 'U')
        t.list_price = Decimal(row['list_price'] or '0')
        t.salable = True
        t.sale_uom = t.default_uom
        t.account_category = goods
        if line:
            t.categories.append(Category(lines[line].id))
        t.save()
        if row['ean']:
            ProductIdentifier(product=t.products[0], type='ean', code=row['ean']).save()

    prices = {r['sku']: Decimal(r['list_price'] or '0') for r in read_csv(os.path.join(masterdata, 'products.csv'))}
    stock(Model, company, eur, today, prices)
    for row in read_csv(os.path.join(HERE, 'demo-credit.csv')):
        p, = Party.find([('code', '=', row['customer_id'])])
        p.credit_limit_amount = Decimal(row['credit_limit'])
        p.save()


def stock(Model, company, eur, today, prices):
    """Goods received from a supplier into the warehouse's storage, done: what readStock sees."""
    Location = Model.get('stock.location')
    Product = Model.get('product.product')
    Move = Model.get('stock.move')
    supplier, = Location.find([('code', '=', 'SUP')])
    storage, = Location.find([('code', '=', 'STO')])
    moves = []
    for row in read_csv(os.path.join(HERE, 'demo-stock.csv')):
        product, = Product.find([('code', '=', row['sku'])])
        m = Move(product=product, from_location=supplier, to_location=storage, quantity=float(row['quantity']),
                 unit=product.default_uom, unit_price=prices[row['sku']], currency=eur, company=company, effective_date=today)
        m.save()
        moves.append(m)
    Move.click(moves, 'do')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--dir', required=True, help='folder of the SQLite database (created)')
    ap.add_argument('--name', default='aiguillage', help='database name (file NAME.sqlite)')
    ap.add_argument('--masterdata', required=True, help='folder of company.csv, customers.csv, addresses.csv, products.csv')
    args = ap.parse_args()
    directory = os.path.abspath(args.dir)
    os.makedirs(directory, exist_ok=True)
    ready = os.path.join(directory, args.name + '.ready')
    if os.path.exists(ready):
        print('ready', os.path.join(directory, args.name + '.sqlite'))
        return
    conf = write_config(directory)
    passfile = admin_password(directory)
    db = os.path.join(directory, args.name + '.sqlite')
    # A half-made database (an interrupted run) is made again from nothing.
    if os.path.exists(db):
        os.remove(db)
    create_database(directory, args.name, conf, passfile)
    load(conf, args.name, os.path.abspath(args.masterdata), datetime.date.today())
    with open(ready, 'w', encoding='utf-8') as f:
        f.write(datetime.datetime.now(datetime.timezone.utc).isoformat() + '\n')
    print('ready', db)


if __name__ == '__main__':
    main()
